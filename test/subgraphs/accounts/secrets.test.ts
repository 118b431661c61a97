import { createCodeSealer } from '../../../subgraphs/accounts/secrets.ts';

const sealer = createCodeSealer('a secret of at least thirty-two characters');

test('a sealed code opens under its own row id only, and does not show the code', () => {
  const sealed = sealer.seal('code_1', '042917');
  expect(sealed).toMatch(/^v1\./);
  expect(sealed).not.toContain('042917');
  expect(sealer.open('code_1', sealed)).toBe('042917');
  // Copied onto another row (or tampered with), it does not open.
  expect(sealer.open('code_2', sealed)).toBeNull();
  const [version, iv, tag, body] = sealed.split('.');
  const flipped = Buffer.from(body, 'base64url');
  flipped[0] ^= 1;
  expect(sealer.open('code_1', [version, iv, tag, flipped.toString('base64url')].join('.'))).toBeNull();
});

test('another secret cannot open it; sealing twice gives two different texts', () => {
  const sealed = sealer.seal('code_1', '042917');
  expect(createCodeSealer('another secret, also thirty-two characters').open('code_1', sealed)).toBeNull();
  expect(sealer.seal('code_1', '042917')).not.toBe(sealed);
  expect(sealer.open('code_1', 'not sealed at all')).toBeNull();
});
