import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'public', 'guest/build'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-constant-condition': ['error', { checkLoops: false }],
      // Wiring closures refer to a device before it is built (let x; ... () => x; x = new ...).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-fallthrough': 'off',
      'no-case-declarations': 'off',
    },
  },
);
