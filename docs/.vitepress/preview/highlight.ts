/** Syntax highlighting with Shiki's core and only the grammars the generated files need (no WASM: the JS engine). */
import { createHighlighterCore, type HighlighterCore } from 'shiki/core';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';

let highlighter: Promise<HighlighterCore> | undefined;

function load(): Promise<HighlighterCore> {
  highlighter ??= createHighlighterCore({
    themes: [import('shiki/themes/github-light.mjs')],
    langs: [
      import('shiki/langs/python.mjs'),
      import('shiki/langs/toml.mjs'),
      import('shiki/langs/yaml.mjs'),
      import('shiki/langs/dockerfile.mjs'),
      import('shiki/langs/shellscript.mjs'),
      import('shiki/langs/dotenv.mjs'),
      import('shiki/langs/markdown.mjs'),
      import('shiki/langs/json.mjs'),
    ],
    engine: createJavaScriptRegexEngine(),
  });
  return highlighter;
}

/** HTML for one file; `lang` undefined means plain text (escaped, no highlighting). */
export async function highlight(text: string, lang: string | undefined): Promise<string> {
  if (!lang) return `<pre class="plain"><code>${escapeHtml(text)}</code></pre>`;
  return (await load()).codeToHtml(text, { lang, theme: 'github-light' });
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
