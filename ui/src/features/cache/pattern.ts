/** Key patterns: Redis's glob (as SCAN MATCH reads it), under the instance's key prefix. */

const GLOB = new Set(['*', '?', '[', '\\'])

/** Whether the pattern is a glob; without one the API looks the one key up directly. */
export function hasGlob(pattern: string): boolean {
  return [...pattern].some((char) => GLOB.has(char))
}

/** `text` as a glob that matches exactly it ("a*b" → "a\*b"). */
export function escapeGlob(text: string): string {
  return [...text].map((char) => (GLOB.has(char) || char === ']' ? `\\${char}` : char)).join('')
}

/** The pattern of every key under a folder of the tree ("order:" → "order:*"). */
export function folderPattern(folder: string): string {
  return `${escapeGlob(folder)}*`
}

/** The help next to the pattern box: what each glob character does, and what the
 * prefix and an exact name mean here. */
export function patternHelp(prefix: string): { syntax: string; meaning: string }[] {
  return [
    { syntax: '*', meaning: 'any characters, none included: order:* is every key starting with order:' },
    { syntax: '?', meaning: 'exactly one character: user:? matches user:1 but not user:12' },
    { syntax: '[abc]', meaning: 'one of the characters; [a-z] a range, [^a] any but a' },
    { syntax: '\\', meaning: 'takes the next character as it is: \\* is a star, \\? a question mark' },
    {
      syntax: 'prefix',
      meaning: prefix
        ? `the instance's key prefix ${prefix} is added for you: type order:* to find ${prefix}order:*`
        : 'this instance has no key prefix: the pattern covers the whole database',
    },
    { syntax: 'no glob', meaning: 'a name without any of these characters is one key, looked up directly: the fastest search' },
    { syntax: 'empty', meaning: 'every key (under the prefix)' },
  ]
}
