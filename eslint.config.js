// One linter: typescript-eslint with type information, for the checks that catch lost work
// (floating promises) and untyped holes (`any`), plus a ban on focused tests.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', '.dist-building-*/**', '.build-building-*/**', 'node_modules/**', 'data/**', 'coverage/**', '.tmp/**', '*.config.*'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      // Yjs types (Y.Text, Y.XmlFragment) have a real toString that the rule cannot see.
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'it', property: 'only', message: 'A focused test skips the rest.' },
        { object: 'describe', property: 'only', message: 'A focused test skips the rest.' },
        { object: 'test', property: 'only', message: 'A focused test skips the rest.' },
      ],
    },
  },
);
