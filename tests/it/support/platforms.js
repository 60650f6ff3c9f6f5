// Reference counts for tests/it/twuu/platforms.rs. Reads a JSON array of strings on stdin and
// prints, for each, what the platforms' own code counts: twitter-text's parseTweet (X), code
// points (Mastodon), and ICU's extended grapheme clusters through Intl.Segmenter (Bluesky).
// With the argument "patterns" it prints the sources of twitter-text's URL patterns instead.
const twttr = require('twitter-text');
const regexp = (name) => {
  const m = require(`twitter-text/dist/regexp/${name}`);
  return m.default || m;
};
if (process.argv[2] === 'patterns') {
  const pkg = require('twitter-text/package.json');
  console.log(JSON.stringify({
    version: pkg.version,
    extractUrl: [regexp('extractUrl').source, regexp('extractUrl').flags],
    validAsciiDomain: [regexp('validAsciiDomain').source, regexp('validAsciiDomain').flags],
  }));
  process.exit(0);
}
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', () => {
  const out = JSON.parse(input).map((text) => ({
    x: twttr.parseTweet(text).weightedLength,
    code_points: [...text].length,
    graphemes: [...segmenter.segment(text)].length,
    urls: twttr.extractUrlsWithIndices(text).length,
  }));
  console.log(JSON.stringify(out));
});
