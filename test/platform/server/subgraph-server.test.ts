import { formatError } from '../../../platform/server/subgraph-server.ts';

const internal = {
  message: 'SQLITE_BUSY: database is locked at /srv/data/cases.db',
  path: ['case'],
  extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['Error: …', '    at run (/srv/app/store.ts:12:3)'] },
};
const typed = {
  message: 'Case "x" was not found.',
  path: ['case'],
  extensions: { code: 'NOT_FOUND', stacktrace: ['Error: …'] },
};

test('production replaces an internal error by a generic message with no stack and no internals', () => {
  expect(formatError(true, 3000)(internal)).toEqual({
    message: 'Internal server error.',
    path: ['case'],
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
});

test('production keeps a typed error’s message and code but never its stack', () => {
  expect(formatError(true, 3000)(typed)).toEqual({
    message: 'Case "x" was not found.',
    path: ['case'],
    extensions: { code: 'NOT_FOUND' },
  });
});

test('development keeps internal messages for debugging, still without the stack', () => {
  const formatted = formatError(false, 3000)(internal);
  expect(formatted.message).toContain('SQLITE_BUSY');
  expect(formatted.extensions).not.toHaveProperty('stacktrace');
});

test('an error without any code counts as internal', () => {
  expect(formatError(true, 3000)({ message: 'TypeError: cannot read x of undefined' }).message).toBe(
    'Internal server error.',
  );
});
