/**
 * Fails when a tracked source line is wider than the formatter's width. Biome wraps code but
 * never splits a string or a comment, so those are the lines this check exists for.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const biomeConfig = JSON.parse(readFileSync('biome.json', 'utf8')) as { formatter: { lineWidth: number } };
const maxWidth = biomeConfig.formatter.lineWidth;
const sourceFiles = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.js'], {
  encoding: 'utf8',
})
  .split('\n')
  .filter(Boolean);

const tooWide: string[] = [];
for (const file of sourceFiles) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // deleted in the working tree but still in the index
  }
  text.split('\n').forEach((line, index) => {
    const width = [...line].length;
    if (width > maxWidth) tooWide.push(`${file}:${index + 1}: ${width} characters (at most ${maxWidth})`);
  });
}

if (tooWide.length > 0) {
  console.error(tooWide.join('\n'));
  console.error(`${tooWide.length} line(s) wider than ${maxWidth} characters: split the string or the comment.`);
  process.exit(1);
}
console.log(`line width: ${sourceFiles.length} files, every line within ${maxWidth} characters`);
