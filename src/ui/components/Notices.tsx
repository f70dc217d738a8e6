/** Messages in words for the user: refused migrations, files that could not be opened. */
import type { Notice } from '../vm-list.ts';

export function Notices({ notices, onDismiss }: { notices: readonly Notice[]; onDismiss(id: number): void }) {
  if (notices.length === 0) return null;
  return (
    <div className="notices">
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.kind}`} role="alert" data-testid="notice">
          <span>{n.text}</span>
          <button className="icon" aria-label="Dismiss" onClick={() => onDismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
