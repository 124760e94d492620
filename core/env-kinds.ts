/** How an env variable's kind reads in prose: `.env.example` and the generated project's error lines say the same. */
import type { EnvKind } from './feature.js';

export function allowedText(kind: EnvKind): string {
  switch (kind.type) {
    case 'text':
      return 'any text';
    case 'bool':
      return 'true or false';
    case 'int':
      return kind.max === undefined ? `a whole number, ${kind.min} or more` : `a whole number from ${kind.min} to ${kind.max}`;
    case 'choice':
      return `one of ${kind.values.join(', ')}`;
    case 'list':
      return 'comma-separated values';
    case 'origins':
      return 'comma-separated origins with their scheme (https://example.com)';
    case 'url':
      return `a URL starting with ${kind.schemes.map((s) => `${s}://`).join(', ')}`;
    case 'path':
      return 'a URL path ending with / (letters, digits, -, _ and /)';
  }
}
