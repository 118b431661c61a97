import { readFileSync } from 'node:fs';
import { closedErrorCode, ErrorCode, isErrorCode } from '../../platform/errors.ts';

test('our own codes pass through closedErrorCode unchanged', () => {
  for (const code of Object.values(ErrorCode))
    expect(closedErrorCode({ message: 'x', extensions: { code } })).toBe(code);
});

test('codes the libraries raise are mapped onto the closed set (issue 20.10)', () => {
  const mapped = (code: string) => closedErrorCode({ message: 'x', extensions: { code } });
  expect(mapped('REQUEST_ENTITY_TOO_LARGE')).toBe('PAYLOAD_TOO_LARGE');
  expect(mapped('GATEWAY_TIMEOUT')).toBe('SERVICE_UNAVAILABLE');
  expect(mapped('OPERATION_RESOLUTION_FAILURE')).toBe('BAD_REQUEST');
  expect(mapped('COST_ESTIMATED_TOO_EXPENSIVE')).toBe('COST_LIMIT_EXCEEDED');
  expect(mapped('SOMETHING_NEW')).toBe('INTERNAL_SERVER_ERROR');
  expect(closedErrorCode({ message: 'x' }, ErrorCode.BadRequest)).toBe('BAD_REQUEST');
});

test('a variable that does not coerce is BAD_USER_INPUT, whatever graphql-js called it', () => {
  for (const message of [
    'Variable "$n" got invalid value "ten"; Int cannot represent non-integer value: "ten"',
    'Variable "$id" of required type "ID!" was not provided.',
    'Variable "$id" of non-null type "ID!" must not be null.',
  ]) {
    expect(closedErrorCode({ message })).toBe('BAD_USER_INPUT');
  }
});

test('isErrorCode knows exactly the closed set', () => {
  expect(isErrorCode('COST_LIMIT_EXCEEDED')).toBe(true);
  expect(isErrorCode('GATEWAY_TIMEOUT')).toBe(false);
  expect(isErrorCode(undefined)).toBe(false);
});

test('the README Errors section documents every code of the closed set', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Errors'), readme.indexOf('\n## ', readme.indexOf('## Errors') + 1));
  const undocumented = Object.values(ErrorCode).filter((code) => !section.includes(`\`${code}\``));
  expect(undocumented).toEqual([]);
});
