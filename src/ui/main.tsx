/** Entry point of the page: mounts the app. */
import { createRoot } from 'react-dom/client';
import '@xterm/xterm/css/xterm.css';
import './styles.css';
import { App } from './components/App.tsx';

createRoot(document.getElementById('root')!).render(<App />);
