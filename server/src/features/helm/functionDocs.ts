/**
 * Documentation of everything a chart template can call, for completion and hover (issue #11):
 * Helm's function map (sprig minus `env`/`expandenv`, Helm's own serializers, `lookup`,
 * `required`, `fail`, the duration helpers), the engine-bound `include` and `tpl`, Go's
 * text/template builtins and the action keywords.
 *
 * Facts from the sprig docs (Masterminds/sprig docs/*.md), Helm's "Template Function List" and
 * Helm's pkg/engine/funcs.go, written in our own words. Every example is rendered by
 * test/unit/helm/functionDocs.test.ts through our engine (`renderBare` with no values, template
 * named `mychart/templates/example.yaml`), so an output here is what `helm template` prints;
 * examples marked `illustrative` (random, clock, keys) are shown but not reproduced.
 *
 * Signatures name parameters in capitals as Helm's docs do; `X...` is any number of X, `[X]` is
 * optional, and the piped value is always the last parameter. The result type comes from the
 * engine's function map, so it cannot drift.
 */
import { BUILTINS } from '../../helm/builtins';
import { funcMapFor } from '../../helm/index';

export interface FunctionExample {
  /** A self-contained template (literals, `dict`, `list`, `.Release.Name`; `.Values` is empty). */
  template: string;
  /** What it renders; with `error`, the message the render fails with. */
  output: string;
  /** The output is the error message of a failed render. */
  error?: boolean;
  /** Random, clock or key material: the output is only an illustration (not checked by tests). */
  illustrative?: boolean;
}

export interface FunctionDoc {
  name: string;
  /** e.g. `indent N STRING`, `default DEFAULT_VALUE GIVEN`, `dict KEY VALUE...`, `if CONDITION`. */
  signature: string;
  /** One or two sentences in plain words. */
  description: string;
  example?: FunctionExample;
  /** Where it comes from and what it is about, e.g. `Sprig strings`, `Helm`, `Go template builtins`. */
  family: string;
  /** What matters for charts. */
  note?: string;
  /** Why not to use it and what instead (also set for functions Helm removes). */
  deprecated?: string;
  /** `keyword` for the actions (`if`, `range`, `define`, ...), which are not functions. */
  kind: 'function' | 'keyword';
  /** The result in plain words (`string`, `list`, `dict`, ...), when it says something. */
  returns?: string;
}

type Entry = Omit<FunctionDoc, 'family' | 'kind' | 'returns'>;

const ex = (template: string, output: string): FunctionExample => ({ template, output });
/** An example whose output changes from run to run: shown, never checked. */
const ill = (template: string, output: string): FunctionExample => ({ template, output, illustrative: true });
/** An example that fails the render with this message. */
const fails = (template: string, output: string): FunctionExample => ({ template, output, error: true });

const PER_RENDER =
  'A new value on every render, so every `helm upgrade` changes it (and rolls pods if it feeds a pod template). To keep a generated secret, reuse the existing one with `lookup`, or let users set it. The editor\'s preview uses a fixed seed, so it stays put while you type.';
const MUST_LIST = 'Like `%s`, but an argument that is not a list is reported as a template error instead of a panic; either way the render stops.';
const MUST_REGEX = 'Like `%s`, but an invalid regular expression is reported as a template error instead of a panic; either way the render stops.';
const RE2 =
  'Go regular expressions (RE2): no lookahead or backreferences. Inside a double-quoted template string a backslash must be doubled (`"\\\\d+"`); a backquoted string (`` `\\d+` ``) takes it as is.';
const DURATIONS_NEW =
  'Added to Helm after 4.2 (not in Helm 3): with an older Helm the chart fails with `function "…" not defined`.';
const VALUES_FLOATS = 'Numbers from values files are floats (`10000000` prints as `1e+07`)';

function must(fmt: string, base: string): string {
  return fmt.replace('%s', base);
}

// ---------------------------------------------------------------------------------------------
// The table, family by family.

const STRINGS: Entry[] = [
  { name: 'trim', signature: 'trim STRING', description: 'Removes white space at both ends of STRING.', example: ex('{{ trim "  hello  " }}', 'hello') },
  {
    name: 'trimAll',
    signature: 'trimAll CHARACTERS STRING',
    description: 'Removes every character that appears in CHARACTERS from both ends of STRING.',
    example: ex('{{ trimAll "$" "$5.00" }}', '5.00'),
    note: 'CHARACTERS is a set, not a prefix or suffix: `trimAll "-x" "x-a-x"` gives `a`. To remove one exact prefix or suffix use `trimPrefix` or `trimSuffix`.',
  },
  {
    name: 'trimall',
    signature: 'trimall CHARACTERS STRING',
    description: 'Old spelling of `trimAll`: removes every character in CHARACTERS from both ends of STRING.',
    example: ex('{{ trimall "$" "$5.00" }}', '5.00'),
    deprecated: 'Sprig deprecates `trimall`; use `trimAll`, which does the same.',
  },
  { name: 'trimPrefix', signature: 'trimPrefix PREFIX STRING', description: 'Removes PREFIX from the start of STRING, once, if it is there.', example: ex('{{ trimPrefix "v" "v1.2.3" }}', '1.2.3') },
  {
    name: 'trimSuffix',
    signature: 'trimSuffix SUFFIX STRING',
    description: 'Removes SUFFIX from the end of STRING, once, if it is there.',
    example: ex('{{ "my-app-" | trimSuffix "-" }}', 'my-app'),
    note: 'Used after `trunc 63` in names: truncating can leave a trailing `-`, which Kubernetes names must not end with.',
  },
  { name: 'upper', signature: 'upper STRING', description: 'Converts STRING to upper case.', example: ex('{{ upper "hello" }}', 'HELLO') },
  {
    name: 'lower',
    signature: 'lower STRING',
    description: 'Converts STRING to lower case.',
    example: ex('{{ lower "HELLO" }}', 'hello'),
    note: 'Kubernetes names must be lower case: lower-case a user-supplied name before using it in `metadata.name`.',
  },
  { name: 'title', signature: 'title STRING', description: 'Capitalises the first letter of every word.', example: ex('{{ title "hello world" }}', 'Hello World') },
  { name: 'untitle', signature: 'untitle STRING', description: 'Lower-cases the first letter of every word.', example: ex('{{ untitle "Hello World" }}', 'hello world') },
  {
    name: 'substr',
    signature: 'substr START END STRING',
    description: 'The part of STRING from byte START up to (not including) byte END.',
    example: ex('{{ substr 0 5 "hello world" }}', 'hello'),
    note: 'Counts bytes, not characters. A negative START means from the beginning; a negative END, or one past the end, means to the end.',
  },
  { name: 'repeat', signature: 'repeat COUNT STRING', description: 'STRING repeated COUNT times.', example: ex('{{ repeat 3 "ab" }}', 'ababab') },
  { name: 'nospace', signature: 'nospace STRING', description: 'Removes all white space from STRING, also inside it.', example: ex('{{ nospace "hello w o r l d" }}', 'helloworld') },
  {
    name: 'trunc',
    signature: 'trunc LENGTH STRING',
    description: 'Cuts STRING to at most LENGTH characters; a negative LENGTH keeps the last characters instead.',
    example: ex('{{ trunc 5 "hello world" }}', 'hello'),
    note: 'Kubernetes names and label values are at most 63 characters, hence `trunc 63 | trimSuffix "-"` in the helpers `helm create` writes.',
  },
  {
    name: 'abbrev',
    signature: 'abbrev WIDTH STRING',
    description: 'Shortens STRING to WIDTH characters, ending with `...`; the dots count towards WIDTH.',
    example: ex('{{ abbrev 5 "hello world" }}', 'he...'),
  },
  {
    name: 'abbrevboth',
    signature: 'abbrevboth OFFSET WIDTH STRING',
    description: 'Shortens STRING at both ends to WIDTH characters, starting around OFFSET, with `...` on each cut side.',
    example: ex('{{ abbrevboth 5 10 "1234 5678 9123" }}', '...5678...'),
  },
  { name: 'initials', signature: 'initials STRING', description: 'The first letter of every word, joined.', example: ex('{{ initials "First Try" }}', 'FT') },
  {
    name: 'randAlphaNum',
    signature: 'randAlphaNum LENGTH',
    description: 'A random string of LENGTH letters and digits (`0-9a-zA-Z`), from a cryptographic source.',
    example: ill('{{ randAlphaNum 12 }}', 'q3Vb8ZkA0mTx'),
    note: PER_RENDER,
  },
  {
    name: 'randAlpha',
    signature: 'randAlpha LENGTH',
    description: 'A random string of LENGTH letters (`a-zA-Z`).',
    example: ill('{{ randAlpha 8 }}', 'hQwPzKxa'),
    note: PER_RENDER,
  },
  {
    name: 'randAscii',
    signature: 'randAscii LENGTH',
    description: 'A random string of LENGTH printable ASCII characters, punctuation included.',
    example: ill('{{ randAscii 8 }}', 'k%2T}a!q'),
    note: PER_RENDER + ' Quote the result: punctuation can break YAML.',
  },
  {
    name: 'randNumeric',
    signature: 'randNumeric LENGTH',
    description: 'A random string of LENGTH digits.',
    example: ill('{{ randNumeric 6 }}', '402917'),
    note: PER_RENDER,
  },
  {
    name: 'swapcase',
    signature: 'swapcase STRING',
    description: 'Swaps upper and lower case, word by word (a lower-case letter that starts a word becomes title case).',
    example: ex('{{ swapcase "This Is A.Test" }}', 'tHIS iS a.tEST'),
  },
  {
    name: 'shuffle',
    signature: 'shuffle STRING',
    description: 'The characters of STRING in a random order.',
    example: ill('{{ shuffle "hello" }}', 'oelhl'),
    note: PER_RENDER,
  },
  { name: 'snakecase', signature: 'snakecase STRING', description: 'Converts camelCase or PascalCase to snake_case.', example: ex('{{ snakecase "FirstName" }}', 'first_name') },
  {
    name: 'camelcase',
    signature: 'camelcase STRING',
    description: 'Converts snake_case to PascalCase (first letter upper case too).',
    example: ex('{{ camelcase "http_server" }}', 'HttpServer'),
  },
  { name: 'kebabcase', signature: 'kebabcase STRING', description: 'Converts camelCase or PascalCase to kebab-case.', example: ex('{{ kebabcase "FirstName" }}', 'first-name') },
  {
    name: 'wrap',
    signature: 'wrap WIDTH STRING',
    description: 'Breaks STRING into lines of at most WIDTH characters, at spaces.',
    example: ex('{{ wrap 5 "Hello World" }}', 'Hello\nWorld'),
  },
  {
    name: 'wrapWith',
    signature: 'wrapWith WIDTH SEPARATOR STRING',
    description: 'Like `wrap`, but puts SEPARATOR instead of a newline where it breaks.',
    example: ex('{{ wrapWith 5 "|" "Hello World" }}', 'Hello|World'),
  },
  {
    name: 'contains',
    signature: 'contains SUBSTRING STRING',
    description: 'Whether STRING contains SUBSTRING.',
    example: ex('{{ contains "cat" "catch" }}', 'true'),
    note: 'The string searched is the last argument, so it can be piped: `.Values.image | contains "@sha256:"`.',
  },
  { name: 'hasPrefix', signature: 'hasPrefix PREFIX STRING', description: 'Whether STRING starts with PREFIX.', example: ex('{{ hasPrefix "cat" "catch" }}', 'true') },
  { name: 'hasSuffix', signature: 'hasSuffix SUFFIX STRING', description: 'Whether STRING ends with SUFFIX.', example: ex('{{ hasSuffix "ch" "catch" }}', 'true') },
  {
    name: 'quote',
    signature: 'quote VALUE...',
    description: 'Each VALUE as a double-quoted string (Go escaping), separated by spaces.',
    example: ex('{{ quote "yes" }}', '"yes"'),
    note: 'Quote user strings in YAML, or YAML reads `yes`, `on`, `1.10` or `0755` as booleans and numbers. A missing value prints nothing at all, not `""`.',
  },
  {
    name: 'squote',
    signature: 'squote VALUE...',
    description: 'Each VALUE wrapped in single quotes, separated by spaces.',
    example: ex('{{ squote "yes" }}', "'yes'"),
    note: 'Nothing is escaped: a `\'` inside the value breaks the YAML. Prefer `quote` for user input.',
  },
  {
    name: 'cat',
    signature: 'cat VALUE...',
    description: 'Joins the values with spaces, skipping missing ones.',
    example: ex('{{ cat "hello" "beautiful" "world" }}', 'hello beautiful world'),
  },
  {
    name: 'indent',
    signature: 'indent N STRING',
    description: 'Puts N spaces in front of every line of STRING, the first line included.',
    example: ex('{{ indent 4 "a: 1\\nb: 2" }}', '    a: 1\n    b: 2'),
    note: 'Because the first line is indented too, the action must start at column 0 of its line. Most charts use `nindent` after `{{-` instead, which works wherever the action is.',
  },
  {
    name: 'nindent',
    signature: 'nindent N STRING',
    description: 'Like `indent`, but starts with a newline: every line of STRING on a new line, indented by N spaces.',
    example: ex('metadata:\n  labels:\n    {{- dict "app" "web" | toYaml | nindent 4 }}', 'metadata:\n  labels:\n    app: web'),
    note: 'Write `{{-` so the spaces before the action and the line break are removed; N is the column where the content must start (the parent key\'s indentation plus 2).',
  },
  {
    name: 'replace',
    signature: 'replace OLD NEW STRING',
    description: 'Replaces every OLD in STRING with NEW.',
    example: ex('{{ "I Am Henry VIII" | replace " " "-" }}', 'I-Am-Henry-VIII'),
  },
  {
    name: 'plural',
    signature: 'plural ONE MANY COUNT',
    description: 'ONE when COUNT is 1, otherwise MANY (0 counts as many).',
    example: ex('{{ len (list 1 2) | plural "one pod" "many pods" }}', 'many pods'),
  },
  {
    name: 'hello',
    signature: 'hello',
    description: 'Returns `Hello!`: sprig\'s smoke-test function, of no use in charts.',
    example: ex('{{ hello }}', 'Hello!'),
  },
];

const STRING_LISTS: Entry[] = [
  {
    name: 'join',
    signature: 'join SEPARATOR LIST',
    description: 'Joins the items of LIST into one string with SEPARATOR between them; items that are not strings are converted.',
    example: ex('{{ list "a" "b" "c" | join "," }}', 'a,b,c'),
  },
  {
    name: 'splitList',
    signature: 'splitList SEPARATOR STRING',
    description: 'Splits STRING at every SEPARATOR into a list of strings.',
    example: ex('{{ splitList "," "a,b,c" }}', '[a b c]'),
  },
  {
    name: 'split',
    signature: 'split SEPARATOR STRING',
    description: 'Splits STRING at every SEPARATOR into a dict whose keys are `_0`, `_1`, ...',
    example: ex('{{ (split "$" "foo$bar$baz")._1 }}', 'bar'),
    note: 'Returns a dict, not a list: `range` over it visits the parts in key order, which is not their order once there are more than 10. Use `splitList` for a list.',
  },
  {
    name: 'splitn',
    signature: 'splitn SEPARATOR N STRING',
    description: 'Like `split`, but into at most N parts: the last part keeps the rest of the string.',
    example: ex('{{ (splitn "$" 2 "foo$bar$baz")._1 }}', 'bar$baz'),
  },
  {
    name: 'sortAlpha',
    signature: 'sortAlpha LIST',
    description: 'A sorted copy of LIST, as strings in alphabetical (byte) order.',
    example: ex('{{ list "c" "a" "b" | sortAlpha }}', '[a b c]'),
    note: 'Use it on `keys` to get a stable order, so the rendered manifest does not change from one render to the next.',
  },
];

const REGEX: Entry[] = [
  {
    name: 'regexMatch',
    signature: 'regexMatch REGEX STRING',
    description: 'Whether STRING contains a match of REGEX (anchor it with `^…$` to match the whole string).',
    example: ex('{{ regexMatch "^[a-z0-9-]+$" "my-app" }}', 'true'),
    note: RE2,
  },
  { name: 'mustRegexMatch', signature: 'mustRegexMatch REGEX STRING', description: must(MUST_REGEX, 'regexMatch'), example: ex('{{ mustRegexMatch "^v[0-9]" "v1.2" }}', 'true') },
  {
    name: 'regexFindAll',
    signature: 'regexFindAll REGEX STRING N',
    description: 'The first N matches of REGEX in STRING as a list; N = -1 for all of them.',
    example: ex('{{ regexFindAll "[2,4,6,8]" "123456789" -1 }}', '[2 4 6 8]'),
    note: RE2,
  },
  { name: 'mustRegexFindAll', signature: 'mustRegexFindAll REGEX STRING N', description: must(MUST_REGEX, 'regexFindAll'), example: ex('{{ mustRegexFindAll "[0-9]+" "a1b22c333" 2 }}', '[1 22]') },
  {
    name: 'regexFind',
    signature: 'regexFind REGEX STRING',
    description: 'The first (leftmost) match of REGEX in STRING, or an empty string.',
    example: ex('{{ regexFind "[a-zA-Z][1-9]" "abcd1234" }}', 'd1'),
    note: RE2,
  },
  { name: 'mustRegexFind', signature: 'mustRegexFind REGEX STRING', description: must(MUST_REGEX, 'regexFind'), example: ex('{{ mustRegexFind "[0-9]+" "v12.3" }}', '12') },
  {
    name: 'regexReplaceAll',
    signature: 'regexReplaceAll REGEX STRING REPLACEMENT',
    description: 'Replaces every match of REGEX in STRING with REPLACEMENT, where `${1}` stands for the first group.',
    example: ex('{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}', '-W-xxW-'),
    note: 'The input is the middle argument: a piped value becomes REPLACEMENT, not STRING. ' + RE2,
  },
  {
    name: 'mustRegexReplaceAll',
    signature: 'mustRegexReplaceAll REGEX STRING REPLACEMENT',
    description: must(MUST_REGEX, 'regexReplaceAll'),
    example: ex('{{ mustRegexReplaceAll "[^a-z0-9]+" "my app!" "-" }}', 'my-app-'),
  },
  {
    name: 'regexReplaceAllLiteral',
    signature: 'regexReplaceAllLiteral REGEX STRING REPLACEMENT',
    description: 'Like `regexReplaceAll`, but REPLACEMENT is used as is: `$` has no special meaning.',
    example: ex('{{ regexReplaceAllLiteral "a(x*)b" "-ab-axxb-" "${1}" }}', '-${1}-${1}-'),
  },
  {
    name: 'mustRegexReplaceAllLiteral',
    signature: 'mustRegexReplaceAllLiteral REGEX STRING REPLACEMENT',
    description: must(MUST_REGEX, 'regexReplaceAllLiteral'),
    example: ex('{{ mustRegexReplaceAllLiteral "\\\\." "1.2.3" "$" }}', '1$2$3'),
  },
  {
    name: 'regexSplit',
    signature: 'regexSplit REGEX STRING N',
    description: 'Splits STRING at the matches of REGEX into at most N parts; N = -1 for all of them.',
    example: ex('{{ regexSplit "z+" "pizza" -1 }}', '[pi a]'),
  },
  { name: 'mustRegexSplit', signature: 'mustRegexSplit REGEX STRING N', description: must(MUST_REGEX, 'regexSplit'), example: ex('{{ mustRegexSplit "[,;]" "a,b;c" -1 }}', '[a b c]') },
  {
    name: 'regexQuoteMeta',
    signature: 'regexQuoteMeta STRING',
    description: 'Escapes the characters of STRING that mean something in a regular expression, so it matches literally.',
    example: ex('{{ regexQuoteMeta "1.2.3" }}', '1\\.2\\.3'),
  },
];

const ENCODING: Entry[] = [
  {
    name: 'b64enc',
    signature: 'b64enc STRING',
    description: 'Encodes STRING in base64.',
    example: ex('{{ "admin" | b64enc }}', 'YWRtaW4='),
    note: 'The values under a Secret\'s `data:` must be base64; values under `stringData:` are plain text and need no encoding.',
  },
  {
    name: 'b64dec',
    signature: 'b64dec STRING',
    description: 'Decodes base64 STRING.',
    example: ex('{{ "YWRtaW4=" | b64dec }}', 'admin'),
    note: 'Invalid input does not fail the render: the result is the decoder\'s error message, e.g. `illegal base64 data at input byte 0`.',
  },
  { name: 'b32enc', signature: 'b32enc STRING', description: 'Encodes STRING in base32.', example: ex('{{ b32enc "admin" }}', 'MFSG22LO') },
  {
    name: 'b32dec',
    signature: 'b32dec STRING',
    description: 'Decodes base32 STRING (on invalid input the result is the decoder\'s error message).',
    example: ex('{{ b32dec "MFSG22LO" }}', 'admin'),
  },
];

const OS_PATH = 'Uses the path rules of the machine running Helm (backslashes too on Windows), so a chart can render differently there; for paths inside a chart prefer the version without `os`.';

const PATHS: Entry[] = [
  { name: 'base', signature: 'base PATH', description: 'The last element of a slash-separated PATH.', example: ex('{{ base "files/config/app.yaml" }}', 'app.yaml') },
  { name: 'dir', signature: 'dir PATH', description: 'PATH without its last element.', example: ex('{{ dir "files/config/app.yaml" }}', 'files/config') },
  { name: 'clean', signature: 'clean PATH', description: 'PATH with `.`, `..` and doubled slashes resolved.', example: ex('{{ clean "foo/bar/../baz" }}', 'foo/baz') },
  { name: 'ext', signature: 'ext PATH', description: 'The extension of the last element of PATH, dot included, or an empty string.', example: ex('{{ ext "app.yaml" }}', '.yaml') },
  { name: 'isAbs', signature: 'isAbs PATH', description: 'Whether PATH starts with a slash.', example: ex('{{ isAbs "/etc/config" }}', 'true') },
  { name: 'osBase', signature: 'osBase PATH', description: 'Like `base`, with the file path rules of the operating system.', example: ex('{{ osBase "/foo/bar/baz" }}', 'baz'), note: OS_PATH },
  { name: 'osDir', signature: 'osDir PATH', description: 'Like `dir`, with the file path rules of the operating system.', example: ex('{{ osDir "/foo/bar/baz" }}', '/foo/bar'), note: OS_PATH },
  { name: 'osClean', signature: 'osClean PATH', description: 'Like `clean`, with the file path rules of the operating system.', example: ex('{{ osClean "/foo/bar/../baz" }}', '/foo/baz'), note: OS_PATH },
  { name: 'osExt', signature: 'osExt PATH', description: 'Like `ext`, with the file path rules of the operating system.', example: ex('{{ osExt "/foo.bar" }}', '.bar'), note: OS_PATH },
  { name: 'osIsAbs', signature: 'osIsAbs PATH', description: 'Like `isAbs`, with the file path rules of the operating system.', example: ex('{{ osIsAbs "/foo" }}', 'true'), note: OS_PATH },
];

const URLS: Entry[] = [
  {
    name: 'urlParse',
    signature: 'urlParse URL',
    description: 'Splits URL into a dict with `scheme`, `userinfo`, `host`, `hostname`, `path`, `query`, `fragment` and `opaque`.',
    example: ex('{{ (urlParse "https://admin@example.com:8443/api?x=1#top").host }}', 'example.com:8443'),
  },
  {
    name: 'urlJoin',
    signature: 'urlJoin DICT',
    description: 'Builds a URL from a dict of parts, the reverse of `urlParse`.',
    example: ex('{{ urlJoin (dict "scheme" "https" "host" "example.com" "path" "/api") }}', 'https://example.com/api'),
  },
];

const CERT_RETURNS = 'The result has `.Cert` and `.Key`, both PEM text.';
const CERT_NOTE =
  'A new key and certificate on every render, so every `helm upgrade` replaces them. Many charts keep the first ones with `lookup` of the existing Secret, or leave certificates to cert-manager.';

const CRYPTO: Entry[] = [
  { name: 'sha1sum', signature: 'sha1sum STRING', description: 'The SHA-1 digest of STRING, in hex.', example: ex('{{ sha1sum "hello" }}', 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d') },
  {
    name: 'sha256sum',
    signature: 'sha256sum STRING',
    description: 'The SHA-256 digest of STRING, in hex.',
    example: ex('{{ sha256sum "hello" }}', '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'),
    note: 'The usual way to restart pods when a ConfigMap changes: a pod template annotation `checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}`.',
  },
  {
    name: 'sha512sum',
    signature: 'sha512sum STRING',
    description: 'The SHA-512 digest of STRING, in hex.',
    example: ex(
      '{{ sha512sum "hello" }}',
      '9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043',
    ),
  },
  { name: 'adler32sum', signature: 'adler32sum STRING', description: 'The Adler-32 checksum of STRING, in decimal.', example: ex('{{ adler32sum "hello" }}', '103547413') },
  {
    name: 'bcrypt',
    signature: 'bcrypt STRING',
    description: 'A bcrypt hash of STRING (cost 10, random salt).',
    example: ill('{{ bcrypt "myPassword" }}', '$2a$10$3Q3Zb0wF3yT1yQpD1m7G7u6CwVvJ0p5o9l2n8gqj3t9mJkq0xk1eW'),
    note: 'The salt is random, so the hash changes on every render even for the same password.',
  },
  {
    name: 'htpasswd',
    signature: 'htpasswd USER PASSWORD',
    description: 'A `USER:HASH` line for an htpasswd file (HTTP basic auth), with a bcrypt hash of PASSWORD.',
    example: ill('{{ htpasswd "admin" "secret" }}', 'admin:$2a$10$m.AF89bFlJfr9lP7G0a9Hu.cuBlx5GYwwz1vKcsbGo2GGNxNPUSpS'),
    note: 'The hash changes on every render (random salt). A password written into the chart or its values is readable by anyone with the chart.',
  },
  {
    name: 'randBytes',
    signature: 'randBytes COUNT',
    description: 'COUNT random bytes from a cryptographic source, encoded in base64.',
    example: ill('{{ randBytes 12 }}', 'm3Zq9TfK1uE2bA7w'),
    note: PER_RENDER,
  },
  {
    name: 'derivePassword',
    signature: 'derivePassword COUNTER TYPE MASTER_PASSWORD USER SITE',
    description: 'A password derived from a master password with the Master Password (Spectre) algorithm: the same inputs always give the same password. TYPE is one of `maximum`, `long`, `medium`, `short`, `basic`, `pin`.',
    example: ex('{{ derivePassword 1 "long" "password" "user" "example.com" }}', 'ZedaFaxcZaso9*'),
    note: 'Writing the master password into the chart or its values makes every derived password readable.',
  },
  {
    name: 'genPrivateKey',
    signature: 'genPrivateKey TYPE',
    description: 'A new private key in PEM: TYPE `rsa` (4096 bits), `ecdsa` (P-256), `ed25519` or `dsa`.',
    example: ill('{{ genPrivateKey "ecdsa" }}', '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB0s…\n-----END EC PRIVATE KEY-----'),
    note: CERT_NOTE,
  },
  {
    name: 'buildCustomCert',
    signature: 'buildCustomCert CERT_BASE64 KEY_BASE64',
    description: 'Turns a base64-encoded PEM certificate and key into a certificate object, e.g. a CA to pass to `genSignedCert`. ' + CERT_RETURNS,
    example: ill('{{ $ca := buildCustomCert .Values.ca.crt .Values.ca.key }}{{ $ca.Cert }}', '-----BEGIN CERTIFICATE-----\nMIIC…\n-----END CERTIFICATE-----'),
  },
  {
    name: 'genCA',
    signature: 'genCA COMMON_NAME DAYS',
    description: 'A new self-signed certificate authority with a 2048-bit RSA key, valid for DAYS. ' + CERT_RETURNS,
    example: ill('{{- $ca := genCA "my-ca" 365 }}\nca.crt: {{ $ca.Cert | b64enc }}', 'ca.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM…'),
    note: CERT_NOTE,
  },
  {
    name: 'genCAWithKey',
    signature: 'genCAWithKey COMMON_NAME DAYS KEY',
    description: 'Like `genCA`, with the given PEM private key (not DSA). ' + CERT_RETURNS,
    example: ill('{{ $ca := genCAWithKey "my-ca" 365 (genPrivateKey "ecdsa") }}{{ $ca.Cert }}', '-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----'),
    note: CERT_NOTE,
  },
  {
    name: 'genSelfSignedCert',
    signature: 'genSelfSignedCert COMMON_NAME IPS DNS_NAMES DAYS',
    description: 'A new self-signed certificate with a 2048-bit RSA key for the IP addresses and DNS names given as lists (either may be `nil`). ' + CERT_RETURNS,
    example: ill(
      '{{- $c := genSelfSignedCert "web.example.com" nil (list "web.example.com") 365 }}\ntls.crt: {{ $c.Cert | b64enc }}\ntls.key: {{ $c.Key | b64enc }}',
      'tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM…\ntls.key: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpN…',
    ),
    note: CERT_NOTE,
  },
  {
    name: 'genSelfSignedCertWithKey',
    signature: 'genSelfSignedCertWithKey COMMON_NAME IPS DNS_NAMES DAYS KEY',
    description: 'Like `genSelfSignedCert`, with the given PEM private key (not DSA). ' + CERT_RETURNS,
    example: ill('{{ $c := genSelfSignedCertWithKey "web" nil nil 365 (genPrivateKey "ed25519") }}{{ $c.Cert }}', '-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----'),
    note: CERT_NOTE,
  },
  {
    name: 'genSignedCert',
    signature: 'genSignedCert COMMON_NAME IPS DNS_NAMES DAYS CA',
    description: 'A new certificate with a 2048-bit RSA key, signed by CA (from `genCA` or `buildCustomCert`). ' + CERT_RETURNS,
    example: ill(
      '{{- $ca := genCA "my-ca" 365 }}\n{{- $c := genSignedCert "web" nil (list "web.default.svc") 365 $ca }}\ntls.crt: {{ $c.Cert | b64enc }}',
      'tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM…',
    ),
    note: CERT_NOTE,
  },
  {
    name: 'genSignedCertWithKey',
    signature: 'genSignedCertWithKey COMMON_NAME IPS DNS_NAMES DAYS CA KEY',
    description: 'Like `genSignedCert`, with the given PEM private key (not DSA). ' + CERT_RETURNS,
    example: ill('{{ $c := genSignedCertWithKey "web" nil nil 365 (genCA "my-ca" 365) (genPrivateKey "ecdsa") }}{{ $c.Cert }}', '-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----'),
    note: CERT_NOTE,
  },
  {
    name: 'encryptAES',
    signature: 'encryptAES KEY TEXT',
    description: 'Encrypts TEXT with AES-256 in CBC mode under a key derived from KEY, and returns it in base64.',
    example: ill('{{ encryptAES "secretkey" "plaintext" }}', '30tEfhuJSVRhpG97XCuWgz2okj7L8vQ1s6V9zVUPeDQ='),
    note: 'The initialisation vector is random, so the result changes on every render.',
  },
  {
    name: 'decryptAES',
    signature: 'decryptAES KEY BASE64',
    description: 'Decrypts what `encryptAES` produced with the same KEY.',
    example: ex('{{ "30tEfhuJSVRhpG97XCuWgz2okj7L8vQ1s6V9zVUPeDQ=" | decryptAES "secretkey" }}', 'plaintext'),
  },
];

const UUIDS: Entry[] = [
  {
    name: 'uuidv4',
    signature: 'uuidv4',
    description: 'A new random UUID (version 4).',
    example: ill('{{ uuidv4 }}', '3f2504e0-4f89-41d3-9a0c-0305e82c3301'),
    note: PER_RENDER,
  },
];

const SEMVER: Entry[] = [
  {
    name: 'semver',
    signature: 'semver VERSION',
    description: 'Parses VERSION as a semantic version with fields `.Major`, `.Minor`, `.Patch`, `.Prerelease`, `.Metadata`, `.Original` and a `.Compare` method; an invalid version fails the render.',
    example: ex('{{ (semver "1.2.3-alpha.1+123").Prerelease }}', 'alpha.1'),
  },
  {
    name: 'semverCompare',
    signature: 'semverCompare CONSTRAINT VERSION',
    description: 'Whether VERSION meets CONSTRAINT, e.g. `>=1.2 <3.0`, `~1.2.3`, `^2`, `1.2.x`, with `||` for alternatives.',
    example: ex('{{ semverCompare ">=1.21-0" "v1.28.3-gke.100" }}', 'true'),
    note: 'Pre-release versions only match constraints that have a pre-release part, and managed clusters report versions like `v1.28.3-gke.100`: write `>=1.21-0`, not `>=1.21`, when testing `.Capabilities.KubeVersion.Version`.',
  },
];

const CONVERSION: Entry[] = [
  {
    name: 'atoi',
    signature: 'atoi STRING',
    description: 'Reads a whole number from STRING.',
    example: ex('{{ atoi "42" }}', '42'),
    note: 'Anything that is not a whole number (`4.5`, `42px`, an empty string) gives 0 without an error.',
  },
  {
    name: 'int',
    signature: 'int VALUE',
    description: 'Converts a number or numeric string to an integer, dropping any fraction.',
    example: ex('{{ int 3.9 }}', '3'),
    note: VALUES_FLOATS + ': `int` prints them as whole numbers again.',
  },
  {
    name: 'int64',
    signature: 'int64 VALUE',
    description: 'Converts a number or numeric string (decimal, or `0x` hex) to a 64-bit integer.',
    example: ex('{{ int64 10000000.0 }}', '10000000'),
    note: VALUES_FLOATS + ': `int64` prints them as whole numbers again.',
  },
  { name: 'float64', signature: 'float64 VALUE', description: 'Converts a number or numeric string to a floating-point number.', example: ex('{{ float64 "1.5" }}', '1.5') },
  {
    name: 'toDecimal',
    signature: 'toDecimal OCTAL',
    description: 'Reads a Unix permission written in octal and gives its decimal value.',
    example: ex('{{ "0777" | toDecimal }}', '511'),
    note: 'Handy for file modes given as strings, like a `defaultMode` of `"0644"` in values.',
  },
  {
    name: 'toString',
    signature: 'toString VALUE',
    description: 'VALUE as a string, formatted as the template would print it.',
    example: ex('{{ toString 8080 | quote }}', '"8080"'),
    note: VALUES_FLOATS + '; convert with `int` first when you need the digits.',
  },
  {
    name: 'toStrings',
    signature: 'toStrings LIST',
    description: 'A list of strings with every item of LIST converted.',
    example: ex('{{ list 1 2 3 | toStrings | join "," }}', '1,2,3'),
  },
];

const INT_MATH = 'Integer math: each argument is converted to an integer first, so fractions are dropped (use the `…f` functions for decimals).';

const MATH: Entry[] = [
  { name: 'add', signature: 'add NUMBER...', description: 'The sum of the numbers, as an integer.', example: ex('{{ add 1 2 3 }}', '6'), note: INT_MATH },
  {
    name: 'add1',
    signature: 'add1 NUMBER',
    description: 'NUMBER plus one, as an integer.',
    example: ex('{{ add1 41 }}', '42'),
    note: 'Handy with the zero-based index of `range`: `{{ range $i, $v := .Values.items }}{{ add1 $i }}`.',
  },
  { name: 'sub', signature: 'sub A B', description: 'A minus B, as an integer.', example: ex('{{ sub 10 3 }}', '7'), note: INT_MATH },
  { name: 'div', signature: 'div A B', description: 'A divided by B, as an integer (the fraction is dropped).', example: ex('{{ div 10 3 }}', '3'), note: 'Dividing by zero fails the render. ' + INT_MATH },
  { name: 'mod', signature: 'mod A B', description: 'The remainder of A divided by B.', example: ex('{{ mod 10 3 }}', '1'), note: 'A zero B fails the render.' },
  { name: 'mul', signature: 'mul NUMBER NUMBER...', description: 'The product of the numbers, as an integer.', example: ex('{{ mul 2 3 4 }}', '24'), note: INT_MATH },
  { name: 'max', signature: 'max NUMBER NUMBER...', description: 'The largest of the numbers, as an integer.', example: ex('{{ max 1 5 3 }}', '5'), note: INT_MATH },
  {
    name: 'biggest',
    signature: 'biggest NUMBER NUMBER...',
    description: 'Old name of `max`: the largest of the numbers, as an integer.',
    example: ex('{{ biggest 1 5 3 }}', '5'),
    deprecated: 'Use `max`, which is the same function.',
  },
  { name: 'min', signature: 'min NUMBER NUMBER...', description: 'The smallest of the numbers, as an integer.', example: ex('{{ min 4 2 8 }}', '2'), note: INT_MATH },
  {
    name: 'randInt',
    signature: 'randInt MIN MAX',
    description: 'A random integer from MIN up to, but not including, MAX.',
    example: ill('{{ randInt 1 100 }}', '42'),
    note: PER_RENDER,
  },
  { name: 'floor', signature: 'floor NUMBER', description: 'The largest whole number not above NUMBER (as a float).', example: ex('{{ floor 123.9999 }}', '123') },
  { name: 'ceil', signature: 'ceil NUMBER', description: 'The smallest whole number not below NUMBER (as a float).', example: ex('{{ ceil 123.001 }}', '124') },
  {
    name: 'round',
    signature: 'round NUMBER DIGITS [ROUND_ON]',
    description: 'NUMBER rounded to DIGITS decimal places; a remainder from ROUND_ON (default .5) rounds up.',
    example: ex('{{ round 123.555555 3 }}', '123.556'),
  },
];

const FLOAT_MATH: Entry[] = [
  { name: 'addf', signature: 'addf NUMBER...', description: 'The sum of the numbers, with decimals.', example: ex('{{ addf 1.5 2 2 }}', '5.5') },
  { name: 'add1f', signature: 'add1f NUMBER', description: 'NUMBER plus one, with decimals.', example: ex('{{ add1f 1.5 }}', '2.5') },
  { name: 'subf', signature: 'subf NUMBER NUMBER...', description: 'The first number minus the others, with decimals.', example: ex('{{ subf 7.5 2 3 }}', '2.5') },
  { name: 'divf', signature: 'divf NUMBER NUMBER...', description: 'The first number divided by the others in turn, with decimals.', example: ex('{{ divf 10 4 }}', '2.5') },
  { name: 'mulf', signature: 'mulf NUMBER NUMBER...', description: 'The product of the numbers, with decimals.', example: ex('{{ mulf 1.5 2 2 }}', '6') },
  { name: 'maxf', signature: 'maxf NUMBER NUMBER...', description: 'The largest of the numbers, with decimals.', example: ex('{{ maxf 1 2.5 3 }}', '3') },
  { name: 'minf', signature: 'minf NUMBER NUMBER...', description: 'The smallest of the numbers, with decimals.', example: ex('{{ minf 1.5 2 3 }}', '1.5') },
];

const DEFAULTS: Entry[] = [
  {
    name: 'default',
    signature: 'default DEFAULT_VALUE GIVEN',
    description: 'GIVEN, unless it is empty or missing; then DEFAULT_VALUE.',
    example: ex('{{ .Values.tag | default "latest" }}', 'latest'),
    note: '`false`, `0`, `""`, `[]` and `{}` count as empty too: `default true .Values.enabled` is true even when a user sets `enabled: false`. To honour an explicit `false`, test `hasKey .Values "enabled"`.',
  },
  {
    name: 'empty',
    signature: 'empty VALUE',
    description: 'Whether VALUE is missing, `nil`, `false`, `0`, `""`, or an empty list or dict.',
    example: ex('{{ empty 0 }}', 'true'),
    note: '`if` already treats empty values as false: `{{ if .Values.x }}` needs no `empty`.',
  },
  {
    name: 'coalesce',
    signature: 'coalesce VALUE...',
    description: 'The first VALUE that is not empty.',
    example: ex('{{ coalesce .Values.name "" "fallback" }}', 'fallback'),
    note: 'Empty as for `default`: a `0` or `false` is skipped.',
  },
  { name: 'all', signature: 'all VALUE...', description: 'Whether every VALUE is non-empty.', example: ex('{{ all 1 "a" "" }}', 'false') },
  { name: 'any', signature: 'any VALUE...', description: 'Whether at least one VALUE is non-empty.', example: ex('{{ any 0 "" "a" }}', 'true') },
  {
    name: 'ternary',
    signature: 'ternary IF_TRUE IF_FALSE CONDITION',
    description: 'IF_TRUE when CONDITION is true, else IF_FALSE.',
    example: ex('{{ true | ternary "on" "off" }}', 'on'),
    note: 'Both values are computed before the choice, so neither may fail (e.g. a `required` in the branch not taken still fails).',
  },
  {
    name: 'deepCopy',
    signature: 'deepCopy VALUE',
    description: 'A copy of VALUE with all nested dicts and lists copied too.',
    example: ex('{{ $a := dict "x" 1 }}{{ $b := deepCopy $a }}{{ $_ := set $b "x" 2 }}{{ $a.x }}', '1'),
    note: 'Copy before `merge` or `set` when the original (e.g. something under `.Values`) must stay unchanged for other templates.',
  },
  {
    name: 'mustDeepCopy',
    signature: 'mustDeepCopy VALUE',
    description: 'Like `deepCopy`, but a value that cannot be copied is reported as a template error instead of a panic.',
    example: ex('{{ (mustDeepCopy (dict "a" 1)).a }}', '1'),
  },
];

const DICTS: Entry[] = [
  {
    name: 'dict',
    signature: 'dict KEY VALUE...',
    description: 'A new dict from alternating keys and values.',
    example: ex('{{ dict "app" "web" "tier" "front" | toYaml }}', 'app: web\ntier: front'),
    note: 'The usual way to pass several things to a named template: `include "x" (dict "root" $ "port" 80)`.',
  },
  {
    name: 'get',
    signature: 'get DICT KEY',
    description: 'The value of KEY in DICT, or an empty string when it is not there.',
    example: ex('{{ get (dict "a" "1") "a" }}', '1'),
    note: 'Also works for keys that are not valid field names, like `get .Values "my-key"`.',
  },
  {
    name: 'set',
    signature: 'set DICT KEY VALUE',
    description: 'Sets KEY to VALUE in DICT, changing it in place, and returns DICT.',
    example: ex('{{ $d := dict }}{{ $_ := set $d "a" "1" }}{{ $d.a }}', '1'),
    note: 'Assign the result (`$_ :=`), or the dict is printed. Setting into `.Values` changes it for every template rendered after this one.',
  },
  {
    name: 'unset',
    signature: 'unset DICT KEY',
    description: 'Removes KEY from DICT in place (nothing happens if it is not there) and returns DICT.',
    example: ex('{{ $d := dict "a" 1 "b" 2 }}{{ $_ := unset $d "a" }}{{ keys $d }}', '[b]'),
  },
  {
    name: 'hasKey',
    signature: 'hasKey DICT KEY',
    description: 'Whether DICT has KEY, whatever its value.',
    example: ex('{{ hasKey (dict "enabled" false) "enabled" }}', 'true'),
    note: 'Unlike `if` and `default`, it tells an explicit `false` or `0` from a missing key.',
  },
  {
    name: 'pluck',
    signature: 'pluck KEY DICT...',
    description: 'A list of the values KEY has in each DICT that has it.',
    example: ex('{{ pluck "a" (dict "a" 1) (dict "b" 2) (dict "a" 3) }}', '[1 3]'),
    note: '`pluck "x" $a $b | first` takes the first dict that sets `x`.',
  },
  {
    name: 'keys',
    signature: 'keys DICT...',
    description: 'A list of the keys of the dicts.',
    example: ex('{{ keys (dict "b" 1 "a" 2) | sortAlpha }}', '[a b]'),
    note: 'The order is random: add `sortAlpha`, or the rendered output changes between renders.',
  },
  {
    name: 'pick',
    signature: 'pick DICT KEY...',
    description: 'A new dict with only the given keys of DICT.',
    example: ex('{{ pick (dict "a" 1 "b" 2 "c" 3) "a" "c" }}', 'map[a:1 c:3]'),
  },
  {
    name: 'omit',
    signature: 'omit DICT KEY...',
    description: 'A new dict with all keys of DICT except the given ones.',
    example: ex('{{ omit (dict "a" 1 "b" 2 "c" 3) "b" | toJson }}', '{"a":1,"c":3}'),
  },
  {
    name: 'values',
    signature: 'values DICT',
    description: 'A list of the values of DICT.',
    example: ex('{{ values (dict "a" 1) }}', '[1]'),
    note: 'The order is random; sort the result (e.g. `sortAlpha`) when it is written to a manifest.',
  },
  {
    name: 'merge',
    signature: 'merge DEST SOURCE...',
    description: 'Deep-merges the SOURCE dicts into DEST; keys already in DEST win, then earlier sources over later ones. Returns DEST.',
    example: ex('{{ merge (dict "a" 1) (dict "a" 2 "b" 2) | toJson }}', '{"a":1,"b":2}'),
    note: 'DEST is changed in place. Write `merge (dict) .Values.a .Values.b` to leave the values untouched for other templates.',
  },
  {
    name: 'mustMerge',
    signature: 'mustMerge DEST SOURCE...',
    description: 'Like `merge`, but a failed merge is reported as a template error.',
    example: ex('{{ mustMerge (dict "a" 1) (dict "b" 2) | toJson }}', '{"a":1,"b":2}'),
  },
  {
    name: 'mergeOverwrite',
    signature: 'mergeOverwrite DEST SOURCE...',
    description: 'Deep-merges the SOURCE dicts into DEST, later ones winning over earlier ones and over DEST. Returns DEST.',
    example: ex('{{ mergeOverwrite (dict "a" 1) (dict "a" 2 "b" 2) | toJson }}', '{"a":2,"b":2}'),
    note: 'DEST is changed in place; start from `(dict)` or `deepCopy` to keep the values untouched.',
  },
  {
    name: 'mustMergeOverwrite',
    signature: 'mustMergeOverwrite DEST SOURCE...',
    description: 'Like `mergeOverwrite`, but a failed merge is reported as a template error.',
    example: ex('{{ mustMergeOverwrite (dict "a" 1) (dict "a" 2) | toJson }}', '{"a":2}'),
  },
  {
    name: 'dig',
    signature: 'dig KEY... DEFAULT DICT',
    description: 'Follows the KEYs down nested dicts and returns the value found, or DEFAULT as soon as a key is missing.',
    example: ex('{{ dict "image" (dict "tag" "1.27") | dig "image" "tag" "latest" }}', '1.27'),
    note: 'DICT must be a plain dict: `.Values` itself is refused (`interface conversion: interface {} is common.Values`), but `(merge (dict) .Values)` or a nested `.Values.image` works.',
  },
];

const LISTS: Entry[] = [
  {
    name: 'list',
    signature: 'list ITEM...',
    description: 'A new list of the items.',
    example: ex('{{ list 1 "a" true }}', '[1 a true]'),
  },
  {
    name: 'tuple',
    signature: 'tuple ITEM...',
    description: 'An old name of `list`: a new list of the items.',
    example: ex('{{ tuple 1 2 }}', '[1 2]'),
  },
  {
    name: 'append',
    signature: 'append LIST ITEM',
    description: 'A new list: LIST with ITEM added at the end (LIST itself is unchanged).',
    example: ex('{{ append (list 1 2) 3 }}', '[1 2 3]'),
    note: 'Nothing changes unless you keep the result: `{{ $l = append $l "x" }}`.',
  },
  { name: 'push', signature: 'push LIST ITEM', description: 'Same as `append`: a new list with ITEM added at the end.', example: ex('{{ push (list 1 2) 3 }}', '[1 2 3]') },
  { name: 'prepend', signature: 'prepend LIST ITEM', description: 'A new list: ITEM followed by the items of LIST.', example: ex('{{ prepend (list 1 2) 0 }}', '[0 1 2]') },
  { name: 'first', signature: 'first LIST', description: 'The first item of LIST (nothing for an empty list).', example: ex('{{ first (list 1 2 3) }}', '1') },
  { name: 'last', signature: 'last LIST', description: 'The last item of LIST (nothing for an empty list).', example: ex('{{ last (list 1 2 3) }}', '3') },
  { name: 'rest', signature: 'rest LIST', description: 'LIST without its first item.', example: ex('{{ rest (list 1 2 3) }}', '[2 3]') },
  { name: 'initial', signature: 'initial LIST', description: 'LIST without its last item.', example: ex('{{ initial (list 1 2 3) }}', '[1 2]') },
  { name: 'reverse', signature: 'reverse LIST', description: 'A new list with the items of LIST in reverse order.', example: ex('{{ reverse (list 1 2 3) }}', '[3 2 1]') },
  { name: 'compact', signature: 'compact LIST', description: 'A new list without the empty items (`""`, `0`, `false`, `nil`, ...).', example: ex('{{ compact (list 1 "" "a" 0) }}', '[1 a]') },
  { name: 'uniq', signature: 'uniq LIST', description: 'A new list without duplicates, in first-seen order.', example: ex('{{ list 1 1 2 1 | uniq }}', '[1 2]') },
  { name: 'without', signature: 'without LIST ITEM...', description: 'A new list without the given items.', example: ex('{{ without (list 1 2 3 4) 2 4 }}', '[1 3]') },
  {
    name: 'has',
    signature: 'has ITEM LIST',
    description: 'Whether LIST contains ITEM.',
    example: ex('{{ list "a" "b" | has "b" }}', 'true'),
    note: 'Types must match exactly: numbers from values files are floats, so `has 2 .Values.ports` is false for `ports: [2]`; compare with `2.0` or convert.',
  },
  {
    name: 'slice',
    signature: 'slice LIST [START [END]]',
    description: 'The items of LIST from index START up to (not including) END.',
    example: ex('{{ slice (list 1 2 3 4) 1 3 }}', '[2 3]'),
    note: 'Sprig\'s `slice` replaces Go\'s builtin of the same name in Helm: it takes lists only, not strings (use `substr` or `trunc`).',
  },
  { name: 'chunk', signature: 'chunk SIZE LIST', description: 'LIST cut into lists of SIZE items (the last may be shorter).', example: ex('{{ chunk 2 (list 1 2 3) }}', '[[1 2] [3]]') },
  { name: 'concat', signature: 'concat LIST...', description: 'One new list with the items of all the lists.', example: ex('{{ concat (list 1 2) (list 3) }}', '[1 2 3]') },
  {
    name: 'until',
    signature: 'until COUNT',
    description: 'The list of integers from 0 up to COUNT - 1.',
    example: ex('{{ range $i := until 3 }}{{ $i }};{{ end }}', '0;1;2;'),
    note: 'The usual way to repeat something N times with `range`, e.g. one entry per replica.',
  },
  {
    name: 'untilStep',
    signature: 'untilStep START STOP STEP',
    description: 'The list of integers from START, adding STEP, while below STOP (above it for a negative STEP).',
    example: ex('{{ untilStep 3 9 2 }}', '[3 5 7]'),
  },
  {
    name: 'seq',
    signature: 'seq [START [STEP]] END',
    description: 'The numbers from START (default 1) to END inclusive, counting by STEP, like the shell\'s `seq`.',
    example: ex('{{ seq 1 2 7 }}', '1 3 5 7'),
    note: 'Returns one string with spaces, not a list: `range` needs `until` or `untilStep`.',
  },
];

const MUST_LISTS: Array<[string, string, FunctionExample]> = [
  ['mustAppend', 'LIST ITEM', ex('{{ mustAppend (list 1) 2 }}', '[1 2]')],
  ['mustPush', 'LIST ITEM', ex('{{ mustPush (list 1) 2 }}', '[1 2]')],
  ['mustPrepend', 'LIST ITEM', ex('{{ mustPrepend (list 1) 0 }}', '[0 1]')],
  ['mustFirst', 'LIST', ex('{{ mustFirst (list 1 2) }}', '1')],
  ['mustLast', 'LIST', ex('{{ mustLast (list 1 2) }}', '2')],
  ['mustRest', 'LIST', ex('{{ mustRest (list 1 2 3) }}', '[2 3]')],
  ['mustInitial', 'LIST', ex('{{ mustInitial (list 1 2 3) }}', '[1 2]')],
  ['mustReverse', 'LIST', ex('{{ mustReverse (list 1 2) }}', '[2 1]')],
  ['mustCompact', 'LIST', ex('{{ mustCompact (list "a" "") }}', '[a]')],
  ['mustUniq', 'LIST', ex('{{ mustUniq (list 1 1) }}', '[1]')],
  ['mustWithout', 'LIST ITEM...', ex('{{ mustWithout (list 1 2) 2 }}', '[1]')],
  ['mustHas', 'ITEM LIST', ex('{{ mustHas 1 (list 1 2) }}', 'true')],
  ['mustSlice', 'LIST [START [END]]', ex('{{ mustSlice (list 1 2 3) 1 }}', '[2 3]')],
  ['mustChunk', 'SIZE LIST', ex('{{ mustChunk 2 (list 1 2 3) }}', '[[1 2] [3]]')],
];
for (const [name, params, example] of MUST_LISTS) {
  const base = name.charAt(4).toLowerCase() + name.slice(5);
  LISTS.push({ name, signature: `${name} ${params}`, description: must(MUST_LIST, base), example });
}

const REFLECTION: Entry[] = [
  {
    name: 'typeOf',
    signature: 'typeOf VALUE',
    description: 'The Go type of VALUE, e.g. `string`, `float64`, `[]interface {}`, `map[string]interface {}`.',
    example: ex('{{ typeOf 1.5 }}', 'float64'),
  },
  { name: 'typeIs', signature: 'typeIs TYPE VALUE', description: 'Whether the Go type of VALUE is TYPE.', example: ex('{{ typeIs "string" "a" }}', 'true') },
  {
    name: 'typeIsLike',
    signature: 'typeIsLike TYPE VALUE',
    description: 'Like `typeIs`, but a pointer to TYPE matches too.',
    example: ex('{{ typeIsLike "string" "a" }}', 'true'),
  },
  {
    name: 'kindOf',
    signature: 'kindOf VALUE',
    description: 'The kind of VALUE: `string`, `bool`, `int`, `int64`, `float64`, `slice`, `map`, ..., or `invalid` when it is missing.',
    example: ex('{{ kindOf (list 1) }}', 'slice'),
  },
  {
    name: 'kindIs',
    signature: 'kindIs KIND VALUE',
    description: 'Whether VALUE is of KIND (see `kindOf`).',
    example: ex('{{ kindIs "map" (dict) }}', 'true'),
    note: 'Numbers from values files are `float64`, from `--set` `int64`: `kindIs "int" .Values.replicas` is false for `replicas: 3`.',
  },
  {
    name: 'deepEqual',
    signature: 'deepEqual A B',
    description: 'Whether A and B are equal, comparing lists and dicts item by item.',
    example: ex('{{ deepEqual (list 1 2) (list 1 2) }}', 'true'),
    note: '`eq` cannot compare lists or dicts; `deepEqual` can, but types must match too (`1` is not `1.0`).',
  },
];

const DATE_LAYOUT = 'Layouts are written with Go\'s reference time `Mon Jan 2 15:04:05 MST 2006`: `2006-01-02` means year-month-day.';
const CLOCK_NOTE =
  'Depends on the clock: every render gives another result, so a manifest that uses it changes on every upgrade. The editor\'s preview uses a fixed clock (2024-01-01 00:00 UTC).';

const DATES: Entry[] = [
  {
    name: 'now',
    signature: 'now',
    description: 'The current date and time, to pass to `date`, `dateModify`, `unixEpoch`, ...',
    example: ill('{{ now | date "2006-01-02" }}', '2025-03-14'),
    note: CLOCK_NOTE,
  },
  {
    name: 'date',
    signature: 'date LAYOUT TIME',
    description: 'Formats TIME (a time, or Unix seconds) with LAYOUT, in the local time zone.',
    example: ex('{{ toDate "2006-01-02" "2017-12-31" | date "Jan 2, 2006" }}', 'Dec 31, 2017'),
    note: DATE_LAYOUT,
  },
  {
    name: 'dateInZone',
    signature: 'dateInZone LAYOUT TIME ZONE',
    description: 'Like `date`, in the time zone ZONE (e.g. `UTC`, `Europe/Paris`).',
    example: ex('{{ dateInZone "2006-01-02 15:04 MST" 1717243200 "Europe/Paris" }}', '2024-06-01 14:00 CEST'),
    note: DATE_LAYOUT,
  },
  {
    name: 'date_in_zone',
    signature: 'date_in_zone LAYOUT TIME ZONE',
    description: 'Old name of `dateInZone`.',
    example: ex('{{ date_in_zone "2006-01-02" 1717243200 "UTC" }}', '2024-06-01'),
    deprecated: 'Use `dateInZone`, which is the same function.',
  },
  {
    name: 'htmlDate',
    signature: 'htmlDate TIME',
    description: 'TIME as `YYYY-MM-DD` in the local time zone.',
    example: ex('{{ toDate "2006-01-02" "2017-12-31" | htmlDate }}', '2017-12-31'),
  },
  {
    name: 'htmlDateInZone',
    signature: 'htmlDateInZone TIME ZONE',
    description: 'TIME as `YYYY-MM-DD` in the time zone ZONE.',
    example: ex('{{ htmlDateInZone 1717284600 "Asia/Tokyo" }}', '2024-06-02'),
  },
  {
    name: 'toDate',
    signature: 'toDate LAYOUT STRING',
    description: 'Reads a date from STRING written in LAYOUT; on failure, the zero time (year 1).',
    example: ex('{{ toDate "02/01/2006" "31/12/2017" | htmlDate }}', '2017-12-31'),
    note: DATE_LAYOUT + ' A wrong input gives `0001-01-01` silently; `mustToDate` fails instead.',
  },
  {
    name: 'mustToDate',
    signature: 'mustToDate LAYOUT STRING',
    description: 'Like `toDate`, but a string that does not match LAYOUT fails the render.',
    example: ex('{{ mustToDate "2006-01-02" "2017-12-31" | date "2006" }}', '2017'),
  },
  {
    name: 'dateModify',
    signature: 'dateModify CHANGE TIME',
    description: 'TIME moved by CHANGE, a Go duration like `-1.5h` or `30m`; an invalid CHANGE leaves TIME as it is.',
    example: ex('{{ toDate "2006-01-02" "2024-01-01" | dateModify "-1.5h" | date "2006-01-02 15:04" }}', '2023-12-31 22:30'),
  },
  {
    name: 'date_modify',
    signature: 'date_modify CHANGE TIME',
    description: 'Old name of `dateModify`.',
    example: ex('{{ toDate "2006-01-02" "2024-01-01" | date_modify "24h" | htmlDate }}', '2024-01-02'),
    deprecated: 'Use `dateModify`, which is the same function.',
  },
  {
    name: 'mustDateModify',
    signature: 'mustDateModify CHANGE TIME',
    description: 'Like `dateModify`, but an invalid CHANGE fails the render.',
    example: ex('{{ toDate "2006-01-02" "2024-01-01" | mustDateModify "48h" | htmlDate }}', '2024-01-03'),
  },
  {
    name: 'must_date_modify',
    signature: 'must_date_modify CHANGE TIME',
    description: 'Old name of `mustDateModify`.',
    example: ex('{{ toDate "2006-01-02" "2024-01-01" | must_date_modify "48h" | htmlDate }}', '2024-01-03'),
    deprecated: 'Use `mustDateModify`, which is the same function.',
  },
  {
    name: 'unixEpoch',
    signature: 'unixEpoch TIME',
    description: 'TIME as seconds since 1970-01-01 00:00 UTC.',
    example: ex('{{ toDate "2006-01-02T15:04:05Z07:00" "2024-01-01T00:00:00Z" | unixEpoch }}', '1704067200'),
  },
  {
    name: 'ago',
    signature: 'ago TIME',
    description: 'How long ago TIME was, to the second, as a Go duration like `2h34m7s`.',
    example: ill('{{ ago (toDate "2006-01-02" "2024-01-01") }}', '8760h0m0s'),
    note: CLOCK_NOTE,
  },
  {
    name: 'duration',
    signature: 'duration SECONDS',
    description: 'A number of seconds as a Go duration, like `1m35s`.',
    example: ex('{{ duration "95" }}', '1m35s'),
    note: 'SECONDS must be a string or an int64: a number literal is an `int` and gives `0s`, and numbers from values files are floats, which give `0s` too. Pass `(toString …)` or `(int64 …)`.',
  },
  {
    name: 'durationRound',
    signature: 'durationRound DURATION',
    description: 'DURATION (a Go duration string, or the time since a given time) rounded to its largest unit: `2h`, `3mo`, `1y`.',
    example: ex('{{ durationRound "2h10m5s" }}', '2h'),
  },
];

const HELM_DURATIONS: Entry[] = [
  {
    name: 'mustToDuration',
    signature: 'mustToDuration VALUE',
    description: 'Reads a duration from VALUE: a Go duration string (`1h30m`), or a number of seconds as a number or string. An unreadable VALUE fails the render.',
    example: ex('{{ mustToDuration "90" }}', '1m30s'),
    note: DURATIONS_NEW,
  },
  { name: 'durationSeconds', signature: 'durationSeconds DURATION', description: 'DURATION in seconds, with decimals; 0 when DURATION cannot be read.', example: ex('{{ durationSeconds "1m30s" }}', '90'), note: 'Handy for fields that want seconds, like `terminationGracePeriodSeconds`. ' + DURATIONS_NEW },
  { name: 'durationMilliseconds', signature: 'durationMilliseconds DURATION', description: 'DURATION in whole milliseconds; 0 when DURATION cannot be read.', example: ex('{{ durationMilliseconds "1.5s" }}', '1500'), note: DURATIONS_NEW },
  { name: 'durationMicroseconds', signature: 'durationMicroseconds DURATION', description: 'DURATION in whole microseconds; 0 when DURATION cannot be read.', example: ex('{{ durationMicroseconds "1ms" }}', '1000'), note: DURATIONS_NEW },
  { name: 'durationNanoseconds', signature: 'durationNanoseconds DURATION', description: 'DURATION in nanoseconds; 0 when DURATION cannot be read.', example: ex('{{ durationNanoseconds "1us" }}', '1000'), note: DURATIONS_NEW },
  { name: 'durationMinutes', signature: 'durationMinutes DURATION', description: 'DURATION in minutes, with decimals; 0 when DURATION cannot be read.', example: ex('{{ durationMinutes "90s" }}', '1.5'), note: DURATIONS_NEW },
  { name: 'durationHours', signature: 'durationHours DURATION', description: 'DURATION in hours, with decimals; 0 when DURATION cannot be read.', example: ex('{{ durationHours "90m" }}', '1.5'), note: DURATIONS_NEW },
  { name: 'durationDays', signature: 'durationDays DURATION', description: 'DURATION in days of 24 hours, with decimals; 0 when DURATION cannot be read.', example: ex('{{ durationDays "36h" }}', '1.5'), note: DURATIONS_NEW },
  { name: 'durationWeeks', signature: 'durationWeeks DURATION', description: 'DURATION in weeks, with decimals; 0 when DURATION cannot be read.', example: ex('{{ durationWeeks "84h" }}', '0.5'), note: DURATIONS_NEW },
  {
    name: 'durationRoundTo',
    signature: 'durationRoundTo DURATION MULTIPLE',
    description: 'DURATION rounded to the nearest multiple of MULTIPLE (halves away from zero).',
    example: ex('{{ durationRoundTo "1h35m" "1h" }}', '2h0m0s'),
    note: DURATIONS_NEW,
  },
  {
    name: 'durationTruncateTo',
    signature: 'durationTruncateTo DURATION MULTIPLE',
    description: 'DURATION rounded down to a multiple of MULTIPLE.',
    example: ex('{{ durationTruncateTo "1h45m" "1h" }}', '1h0m0s'),
    note: DURATIONS_NEW,
  },
];

const YAML_ERR = 'A value that cannot be converted gives an empty string, silently; `mustToYaml` fails instead.';

const HELM: Entry[] = [
  {
    name: 'include',
    signature: 'include NAME DATA',
    description: 'Renders the named template (from `define`) with DATA as its dot and returns the text, so it can be piped.',
    example: ex('{{ define "mychart.name" }}web-{{ . }}{{ end -}}\nname: {{ include "mychart.name" "api" }}', 'name: web-api'),
    note: 'Pass `.` (or `$` inside `range`/`with`) so the template sees `.Values` and `.Release`. Unlike `template`, the output can be piped: `include "mychart.labels" . | nindent 4`.',
  },
  {
    name: 'tpl',
    signature: 'tpl TEMPLATE DATA',
    description: 'Renders the string TEMPLATE as a template with DATA as its dot: lets values contain template expressions.',
    example: ex('{{ tpl "{{ .Release.Name }}-web" . }}', 'release-name-web'),
    note: 'Pass `$` (the root), not a sub-dict, or `.Values` and `.Release` are not reachable inside; the chart\'s named templates are. Each call parses TEMPLATE again: avoid it in long loops.',
  },
  {
    name: 'required',
    signature: 'required MESSAGE VALUE',
    description: 'VALUE, or, when it is missing or an empty string, a failed render with MESSAGE.',
    example: fails('{{ required "Set .Values.tag to the image tag" .Values.tag }}', 'execution error at (mychart/templates/example.yaml:1:3): Set .Values.tag to the image tag'),
    note: '`false` and `0` pass (only `nil` and `""` fail). `helm lint` reports the message instead of stopping.',
  },
  {
    name: 'fail',
    signature: 'fail MESSAGE',
    description: 'Stops the render with MESSAGE, for conditions the chart cannot work with.',
    example: fails('{{ if lt (int .Values.replicas) 1 }}{{ fail "replicas must be at least 1" }}{{ end }}', 'execution error at (mychart/templates/example.yaml:1:39): replicas must be at least 1'),
  },
  {
    name: 'lookup',
    signature: 'lookup API_VERSION KIND NAMESPACE NAME',
    description: 'Reads an object from the cluster during install or upgrade; an empty NAME lists all of KIND (`.items`), an empty NAMESPACE means all namespaces.',
    example: ex('{{ lookup "v1" "Secret" "default" "db" }}', 'map[]'),
    note: 'Without a cluster, i.e. in `helm template`, `helm install --dry-run` and this editor, it always returns an empty dict: write the template so that an empty result still renders (`{{ with (lookup …).data }}…{{ else }}…{{ end }}`).',
  },
  {
    name: 'toYaml',
    signature: 'toYaml VALUE',
    description: 'VALUE as YAML text, without the final newline.',
    example: ex('resources:\n  {{- dict "limits" (dict "cpu" "100m") | toYaml | nindent 2 }}', 'resources:\n  limits:\n    cpu: 100m'),
    note: 'The text starts at column 0: pipe it to `nindent N`, N being the indentation the content needs, after `{{-`. ' + YAML_ERR,
  },
  {
    name: 'mustToYaml',
    signature: 'mustToYaml VALUE',
    description: 'Like `toYaml`, but a value that cannot be converted fails the render.',
    example: ex('{{ list "a" "b" | mustToYaml }}', '- a\n- b'),
    note: 'Helm 4 and later; Helm 3 fails with `function "mustToYaml" not defined`.',
  },
  {
    name: 'toYamlPretty',
    signature: 'toYamlPretty VALUE',
    description: 'Like `toYaml`, but list items are indented under their key.',
    example: ex('{{ dict "args" (list "a" "b") | toYamlPretty }}', 'args:\n  - a\n  - b'),
    note: 'Helm 3.17 and later.',
  },
  {
    name: 'fromYaml',
    signature: 'fromYaml STRING',
    description: 'Reads a YAML mapping from STRING into a dict (e.g. a file from `.Files.Get`).',
    example: ex('{{ (fromYaml "name: web\\nport: 80").port }}', '80'),
    note: 'Invalid YAML does not fail: the dict has an `Error` key with the message. Keys like `y`, `n`, `yes`, `off` become booleans (YAML 1.1), and numbers become floats.',
  },
  {
    name: 'fromYamlArray',
    signature: 'fromYamlArray STRING',
    description: 'Reads a YAML list from STRING.',
    example: ex('{{ fromYamlArray "- a\\n- b" }}', '[a b]'),
    note: 'Invalid YAML does not fail: the result is a list holding the error message.',
  },
  {
    name: 'toJson',
    signature: 'toJson VALUE',
    description: 'VALUE as compact JSON.',
    example: ex('{{ dict "a" 1 "b" (list "x") | toJson }}', '{"a":1,"b":["x"]}'),
    note: '`<`, `>` and `&` are written as `\\u003c`, `\\u003e`, `\\u0026` (use `toRawJson` to keep them). A value that cannot be converted gives an empty string.',
  },
  {
    name: 'mustToJson',
    signature: 'mustToJson VALUE',
    description: 'Like `toJson`, but a value that cannot be converted fails the render.',
    example: ex('{{ list 1 2 | mustToJson }}', '[1,2]'),
  },
  {
    name: 'fromJson',
    signature: 'fromJson STRING',
    description: 'Reads a JSON object from STRING into a dict.',
    example: ex('{{ (fromJson "{\\"port\\": 80}").port }}', '80'),
    note: 'Invalid JSON does not fail: the dict has an `Error` key with the message. Numbers become floats.',
  },
  {
    name: 'fromJsonArray',
    signature: 'fromJsonArray STRING',
    description: 'Reads a JSON array from STRING into a list.',
    example: ex('{{ fromJsonArray "[1, 2]" }}', '[1 2]'),
    note: 'Invalid JSON does not fail: the result is a list holding the error message.',
  },
  {
    name: 'toToml',
    signature: 'toToml VALUE',
    description: 'VALUE as TOML text (ends with a newline); on failure, the error message.',
    example: ex('{{ dict "port" 80 | toToml }}', 'port = 80\n'),
  },
  {
    name: 'mustToToml',
    signature: 'mustToToml VALUE',
    description: 'Like `toToml`, but a value that cannot be converted fails the render.',
    example: ex('{{ dict "name" "web" | mustToToml }}', 'name = "web"\n'),
    note: 'Helm 4.2 and later; older Helm fails with `function "mustToToml" not defined`.',
  },
  {
    name: 'fromToml',
    signature: 'fromToml STRING',
    description: 'Reads TOML text into a dict; invalid TOML gives a dict with an `Error` key.',
    example: ex('{{ (fromToml "port = 80").port }}', '80'),
  },
];

const SPRIG_JSON: Entry[] = [
  {
    name: 'toPrettyJson',
    signature: 'toPrettyJson VALUE',
    description: 'VALUE as JSON indented with two spaces.',
    example: ex('{{ dict "a" 1 | toPrettyJson }}', '{\n  "a": 1\n}'),
    note: 'Pipe it to `nindent` when it goes under a YAML block scalar (`config.json: |`).',
  },
  {
    name: 'mustToPrettyJson',
    signature: 'mustToPrettyJson VALUE',
    description: 'Like `toPrettyJson`, but a value that cannot be converted fails the render.',
    example: ex('{{ list 1 | mustToPrettyJson }}', '[\n  1\n]'),
  },
  {
    name: 'toRawJson',
    signature: 'toRawJson VALUE',
    description: 'VALUE as compact JSON, with `<`, `>` and `&` kept as they are.',
    example: ex('{{ dict "a" "<b>" | toRawJson }}', '{"a":"<b>"}'),
  },
  {
    name: 'mustToRawJson',
    signature: 'mustToRawJson VALUE',
    description: 'Like `toRawJson`, but a value that cannot be converted fails the render.',
    example: ex('{{ dict "a" "&" | mustToRawJson }}', '{"a":"&"}'),
  },
  {
    name: 'mustFromJson',
    signature: 'mustFromJson STRING',
    description: 'Reads any JSON value (object, array, string, number) from STRING; invalid JSON fails the render.',
    example: ex('{{ mustFromJson "[1, 2]" }}', '[1 2]'),
  },
];

const NETWORK: Entry[] = [
  {
    name: 'getHostByName',
    signature: 'getHostByName HOSTNAME',
    description: 'The IP address HOSTNAME resolves to, when Helm runs with `--enable-dns`.',
    example: ex('{{ getHostByName "example.com" | quote }}', '""'),
    note: 'Without `--enable-dns` (the default) and in this editor it returns an empty string.',
  },
];

const REMOVED: Entry[] = [
  {
    name: 'env',
    signature: 'env NAME',
    description: 'In sprig, reads an environment variable.',
    deprecated: 'Helm removes `env` from its templates: a chart that calls it fails with `function "env" not defined`. Pass the value with `--set` or a values file.',
  },
  {
    name: 'expandenv',
    signature: 'expandenv STRING',
    description: 'In sprig, replaces `$VAR` in STRING with environment variables.',
    deprecated: 'Helm removes `expandenv` from its templates: a chart that calls it fails with `function "expandenv" not defined`. Pass the values with `--set` or a values file.',
  },
];

const CMP_NOTE =
  'Both sides must be the same kind of value: numbers from values files are floats and number literals are integers, so `eq .Values.replicas 1` fails with `incompatible types for comparison`. Compare with `1.0`, or convert with `int`.';

const BUILTIN_DOCS: Entry[] = [
  {
    name: 'and',
    signature: 'and VALUE VALUE...',
    description: 'The first empty argument, or the last one if none is empty: true when all are.',
    example: ex('{{ if and true "yes" }}both{{ end }}', 'both'),
    note: 'Stops at the first empty argument, so `and .Values.a .Values.a.b` is safe.',
  },
  {
    name: 'or',
    signature: 'or VALUE VALUE...',
    description: 'The first non-empty argument, or the last one: true when any is.',
    example: ex('{{ or .Values.name "fallback" }}', 'fallback'),
    note: 'Stops at the first non-empty argument. Like `default`, it skips `false` and `0`.',
  },
  { name: 'not', signature: 'not VALUE', description: 'True when VALUE is empty, false otherwise.', example: ex('{{ not "" }}', 'true') },
  {
    name: 'len',
    signature: 'len VALUE',
    description: 'The number of items of a list or dict, or of bytes of a string.',
    example: ex('{{ len (list 1 2 3) }}', '3'),
    note: 'A missing value fails the render: guard it with `if` or `with`.',
  },
  {
    name: 'index',
    signature: 'index COLLECTION KEY...',
    description: 'The item at KEY of a dict, or at a number of a list; more KEYs go deeper.',
    example: ex('{{ index (dict "my-key" "v") "my-key" }}', 'v'),
    note: 'The way to read keys that are not valid names: `.Values.my-key` does not parse, `index .Values "my-key"` does. A list index out of range fails the render.',
  },
  {
    name: 'call',
    signature: 'call FUNCTION ARG...',
    description: 'Calls a function value (a field or method result that is a function) with the arguments. Charts rarely need it.',
  },
  {
    name: 'eq',
    signature: 'eq A B...',
    description: 'Whether A equals B; with more arguments, whether A equals any of them.',
    example: ex('{{ eq .Release.Namespace "default" "kube-system" }}', 'true'),
    note: CMP_NOTE,
  },
  { name: 'ne', signature: 'ne A B', description: 'Whether A differs from B.', example: ex('{{ ne "a" "b" }}', 'true'), note: CMP_NOTE },
  { name: 'lt', signature: 'lt A B', description: 'Whether A is less than B.', example: ex('{{ lt 1 2 }}', 'true'), note: CMP_NOTE },
  { name: 'le', signature: 'le A B', description: 'Whether A is less than or equal to B.', example: ex('{{ le 2 2 }}', 'true'), note: CMP_NOTE },
  { name: 'gt', signature: 'gt A B', description: 'Whether A is greater than B.', example: ex('{{ gt 3 2 }}', 'true'), note: CMP_NOTE },
  { name: 'ge', signature: 'ge A B', description: 'Whether A is greater than or equal to B.', example: ex('{{ ge 2 3 }}', 'false'), note: CMP_NOTE },
  {
    name: 'print',
    signature: 'print VALUE...',
    description: 'The values printed one after the other, with a space only between two values that are not strings.',
    example: ex('{{ print "a" 1 2 "b" }}', 'a1 2b'),
    note: 'A common way to build a template path: `include (print $.Template.BasePath "/configmap.yaml") .`.',
  },
  {
    name: 'printf',
    signature: 'printf FORMAT VALUE...',
    description: 'The values formatted by FORMAT, with Go\'s verbs: `%s` string, `%d` integer, `%v` any value, `%q` quoted, `%%` a percent sign.',
    example: ex('{{ printf "%s-%d" "web" 3 }}', 'web-3'),
    note: VALUES_FLOATS + ': `%d` prints them as `%!d(float64=3)`; use `%v`, or `int` first.',
  },
  {
    name: 'println',
    signature: 'println VALUE...',
    description: 'The values separated by spaces, followed by a newline.',
    example: ex('{{ println "a" "b" }}', 'a b\n'),
  },
  {
    name: 'html',
    signature: 'html VALUE...',
    description: 'The text with `<`, `>`, `&`, `\'` and `"` escaped for HTML.',
    example: ex('{{ html "<b>&</b>" }}', '&lt;b&gt;&amp;&lt;/b&gt;'),
  },
  {
    name: 'js',
    signature: 'js VALUE...',
    description: 'The text escaped for use inside a JavaScript string.',
    example: ex('{{ js "it\'s" }}', "it\\'s"),
  },
  {
    name: 'urlquery',
    signature: 'urlquery VALUE...',
    description: 'The text escaped for use in a URL query string.',
    example: ex('{{ urlquery "a b&c" }}', 'a+b%26c'),
  },
];

const DOT_NOTE = 'Inside, `.` is the new value: reach the top with `$` (`$.Values`, `$.Release.Name`).';

const KEYWORDS: Entry[] = [
  {
    name: 'if',
    signature: 'if CONDITION',
    description: 'Renders what follows up to `{{ else }}` or `{{ end }}` when CONDITION is not empty (`false`, `0`, `""`, `nil`, empty lists and dicts are empty).',
    example: ex('{{ if .Values.ingress }}ingress{{ else }}no ingress{{ end }}', 'no ingress'),
    note: 'A missing value is empty, but a field of a missing value fails: `if .Values.ingress.enabled` fails when `ingress` is not set; write `if (.Values.ingress).enabled` or nest the checks.',
  },
  {
    name: 'else',
    signature: 'else',
    description: 'Starts the part of an `if`, `with` or `range` used when the condition is empty; `{{ else if CONDITION }}` chains another test.',
    example: ex('{{ if eq 1 2 }}a{{ else if eq 1 1 }}b{{ else }}c{{ end }}', 'b'),
  },
  {
    name: 'end',
    signature: 'end',
    description: 'Closes `if`, `with`, `range`, `define` and `block`.',
    example: ex('{{ if true }}shown{{ end }}', 'shown'),
  },
  {
    name: 'range',
    signature: 'range LIST_OR_DICT',
    description: 'Renders its body once per item, with `.` set to the item; `{{ range $i, $v := … }}` also names the index (or key) and the value. `{{ else }}` is used when there are no items.',
    example: ex('{{ range $k, $v := dict "b" 2 "a" 1 }}{{ $k }}={{ $v }};{{ end }}', 'a=1;b=2;'),
    note: 'Dicts are visited in key order. ' + DOT_NOTE,
  },
  {
    name: 'with',
    signature: 'with VALUE',
    description: 'Renders its body with `.` set to VALUE, only when VALUE is not empty; `{{ else }}` is used otherwise.',
    example: ex('{{ with .Values.nodeSelector }}nodeSelector: {{ toYaml . }}{{ else }}none{{ end }}', 'none'),
    note: DOT_NOTE,
  },
  {
    name: 'define',
    signature: 'define "NAME"',
    description: 'Declares a named template, up to `{{ end }}`, to render with `include` or `template`; it prints nothing where it is declared.',
    example: ex('{{ define "mychart.name" }}web{{ end }}{{ include "mychart.name" . }}', 'web'),
    note: 'Names are shared by the chart and all its subcharts: prefix them with the chart name (`mychart.labels`). Keep them in `templates/_helpers.tpl` (files starting with `_` are not rendered as manifests).',
  },
  {
    name: 'template',
    signature: 'template "NAME" [DATA]',
    description: 'Renders the named template in place, with DATA as its dot.',
    example: ex('{{ define "greet" }}hi {{ . }}{{ end }}{{ template "greet" "there" }}', 'hi there'),
    note: 'Its output cannot be piped (no `| nindent`), and without DATA the dot is nil: prefer `include NAME .`.',
  },
  {
    name: 'block',
    signature: 'block "NAME" DATA',
    description: 'Defines a named template and renders it in place at once; another `define` of the same NAME replaces its body.',
    example: ex('{{ block "greeting" . }}hello{{ end }}', 'hello'),
  },
  {
    name: 'break',
    signature: 'break',
    description: 'Leaves the innermost `range` at once.',
    example: ex('{{ range list 1 2 3 4 }}{{ if eq . 3 }}{{ break }}{{ end }}{{ . }}{{ end }}', '12'),
  },
  {
    name: 'continue',
    signature: 'continue',
    description: 'Skips to the next item of the innermost `range`.',
    example: ex('{{ range list 1 2 3 }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ . }}{{ end }}', '13'),
  },
];

const FAMILIES: Array<[string, Entry[], FunctionDoc['kind']]> = [
  ['Sprig strings', STRINGS, 'function'],
  ['Sprig string lists', STRING_LISTS, 'function'],
  ['Sprig regular expressions', REGEX, 'function'],
  ['Sprig encoding', ENCODING, 'function'],
  ['Sprig file paths', PATHS, 'function'],
  ['Sprig URLs', URLS, 'function'],
  ['Sprig cryptography', CRYPTO, 'function'],
  ['Sprig UUIDs', UUIDS, 'function'],
  ['Sprig semantic versions', SEMVER, 'function'],
  ['Sprig type conversion', CONVERSION, 'function'],
  ['Sprig math', MATH, 'function'],
  ['Sprig float math', FLOAT_MATH, 'function'],
  ['Sprig defaults', DEFAULTS, 'function'],
  ['Sprig dictionaries', DICTS, 'function'],
  ['Sprig lists', LISTS, 'function'],
  ['Sprig reflection', REFLECTION, 'function'],
  ['Sprig dates', DATES, 'function'],
  ['Sprig JSON', SPRIG_JSON, 'function'],
  ['Sprig network', NETWORK, 'function'],
  ['Helm', HELM, 'function'],
  ['Helm durations', HELM_DURATIONS, 'function'],
  ['Go template builtins', BUILTIN_DOCS, 'function'],
  ['Go template actions', KEYWORDS, 'keyword'],
];

/** Functions sprig has and Helm deletes: documented for hover, never offered. */
const REMOVED_FAMILY = 'Sprig OS (removed by Helm)';

// ---------------------------------------------------------------------------------------------
// Lookup.

/** Go result types in plain words; unlisted ones (`interface {}`, `reflect.Value`) say nothing. */
const FRIENDLY_TYPES: Record<string, string> = {
  string: 'string',
  bool: 'bool',
  int: 'int',
  int64: 'int',
  float64: 'float',
  '[]string': 'list of strings',
  '[]int': 'list of ints',
  '[]interface {}': 'list',
  '[][]interface {}': 'list of lists',
  'map[string]interface {}': 'dict',
  'map[string]string': 'dict',
  'time.Time': 'time',
  'time.Duration': 'duration',
  'sprig.certificate': 'certificate',
  '*semver.Version': 'version',
};

/** The result of a Go type in plain words, or undefined when it says nothing (any value). */
export function friendlyType(goType: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(FRIENDLY_TYPES, goType) ? FRIENDLY_TYPES[goType] : undefined;
}

/** Results of functions the function map does not hold (bound per render) or that never return. */
const RESULT_OVERRIDES = new Map<string, string | undefined>([
  ['include', 'string'],
  ['tpl', 'string'],
  ['fail', undefined],
]);

function resultOf(name: string): string | undefined {
  if (RESULT_OVERRIDES.has(name)) return RESULT_OVERRIDES.get(name);
  const def = funcMapFor(true).get(name) ?? BUILTINS.get(name);
  return def ? friendlyType(def.result) : undefined;
}

let table: Map<string, FunctionDoc> | undefined;
let callable: FunctionDoc[] | undefined;

function build(): Map<string, FunctionDoc> {
  const m = new Map<string, FunctionDoc>();
  const add = (family: string, kind: FunctionDoc['kind'], e: Entry): void => {
    const doc: FunctionDoc = { ...e, family, kind };
    if (kind === 'function') {
      const r = resultOf(e.name);
      if (r !== undefined) doc.returns = r;
    }
    m.set(e.name, doc);
  };
  for (const [family, entries, kind] of FAMILIES) for (const e of entries) add(family, kind, e);
  callable = [...m.values()];
  for (const e of REMOVED) add(REMOVED_FAMILY, 'function', e);
  return m;
}

function docs(): Map<string, FunctionDoc> {
  return (table ??= build());
}

/** The documentation of a function or keyword a template can use (also of `env`/`expandenv`, which Helm removes). */
export function functionDoc(name: string): FunctionDoc | undefined {
  return docs().get(name);
}

/** Everything a chart template can call or write as an action, in family order (not the removed `env`/`expandenv`). */
export function allFunctionDocs(): FunctionDoc[] {
  docs();
  return callable!;
}

/** Names Helm removes from sprig's map, documented so that hover explains the failure. */
export function isRemovedFunction(name: string): boolean {
  return docs().get(name)?.family === REMOVED_FAMILY;
}

/** The short form for a completion item's detail: `indent N STRING → string`. */
export function functionCompletionDetail(name: string): string | undefined {
  const d = functionDoc(name);
  if (!d) return undefined;
  return d.returns ? `${d.signature} → ${d.returns}` : d.signature;
}

const FENCE = '```';

/** A fenced code block whose fence is longer than any run of backquotes inside. */
function codeBlock(text: string, lang = ''): string {
  let fence = FENCE;
  while (text.includes(fence)) fence += '`';
  return `${fence}${lang}\n${text}\n${fence}`;
}

/** Inline code, or undefined when the text does not fit on one line as it is. */
function inlineCode(text: string): string | undefined {
  if (text === '' || text.includes('\n') || text.includes('`') || /^\s|\s$/.test(text)) return undefined;
  return '`' + text + '`';
}

function exampleMarkdown(e: FunctionExample): string {
  const lead = e.illustrative ? 'Example (the output differs on every render):' : 'Example:';
  const t = inlineCode(e.template);
  const o = inlineCode(e.output);
  if (t && o && t.length + o.length <= 90) {
    return e.error ? `${lead} ${t} fails with ${o}` : `${lead} ${t} → ${o}`;
  }
  const verb = e.error ? 'fails with' : 'renders';
  return `${lead}\n\n${codeBlock(e.template, 'helm')}\n\n${verb}\n\n${codeBlock(e.output)}`;
}

/**
 * Hover text in markdown: the signature (with its result) in a code block, then what is deprecated,
 * the description, the example, the note, and the family.
 */
export function functionHoverMarkdown(name: string): string | undefined {
  const d = functionDoc(name);
  if (!d) return undefined;
  const parts = [codeBlock(functionCompletionDetail(name)!, 'helm')];
  if (d.deprecated) parts.push(`**Deprecated:** ${d.deprecated}`);
  parts.push(d.description);
  if (d.example) parts.push(exampleMarkdown(d.example));
  if (d.note) parts.push(d.note);
  parts.push(`*${d.family}*`);
  return parts.join('\n\n');
}
