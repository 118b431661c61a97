import { parseBenchDirectoryArgs } from '../../scripts/bench-directory.ts';

test('without options the benchmark answers 2,000 situations over 5 rounds', () => {
  expect(parseBenchDirectoryArgs([])).toEqual({ situations: 2000, rounds: 5 });
});

test('named options set the situations and the rounds', () => {
  expect(parseBenchDirectoryArgs(['--situations', '300', '--rounds=3'])).toEqual({ situations: 300, rounds: 3 });
});

test.each([
  [['--situations', 'abc'], /--situations: expected a whole number of at least 1, got "abc"/],
  [['--rounds', '0'], /--rounds: expected a whole number of at least 1, got "0"/],
  [['--rounds', '2.5'], /--rounds: expected a whole number of at least 1, got "2.5"/],
  [['2000', '5'], /positional/],
  [['--round', '3'], /Unknown option '--round'/],
])('%j is refused with a message naming the problem and the usage', (argv, message) => {
  expect(() => parseBenchDirectoryArgs(argv)).toThrow(message);
  expect(() => parseBenchDirectoryArgs(argv)).toThrow(/usage: npm run bench:directory/);
});
