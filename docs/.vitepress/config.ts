import { defineConfig, type Plugin } from 'vitepress';
// The CLI's own template loader (its source; VitePress compiles the config): the preview bundles exactly
// what the CLI renders from. A glob import would skip dotfile templates (.gitignore.ejs, .env.example.ejs...).
import { loadTemplates } from '../../shell/templates.js';
import { TEMPLATES_DIR } from '../../shell/package-root.js';

const VIRTUAL = 'virtual:twelve-templates';

function templatesModule(): Plugin {
  return {
    name: 'twelve-django-templates',
    resolveId: (id) => (id === VIRTUAL ? `\0${VIRTUAL}` : undefined),
    // `${TEMPLATES_DIR}/` bypasses loadTemplates' cache, so `docs:dev` picks up edited templates.
    load: (id) => (id === `\0${VIRTUAL}` ? `export default ${JSON.stringify(loadTemplates(`${TEMPLATES_DIR}/`))};` : undefined),
    configureServer(server) {
      server.watcher.add(TEMPLATES_DIR);
      server.watcher.on('all', (_event, file) => {
        if (!file.startsWith(TEMPLATES_DIR)) return;
        const mod = server.moduleGraph.getModuleById(`\0${VIRTUAL}`);
        if (mod) server.moduleGraph.invalidateModule(mod);
        server.ws.send({ type: 'full-reload' });
      });
    },
  };
}

export default defineConfig({
  title: 'generator-twelve-django',
  description: 'Production-ready twelve-factor Django projects, previewed live',
  cleanUrls: true,
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
  srcExclude: ['README.md'],
  themeConfig: {
    nav: [
      { text: 'Getting started', link: '/getting-started' },
      { text: 'Options', link: '/options' },
      { text: 'Preview', link: '/preview' },
    ],
    sidebar: [
      {
        text: 'Guide',
        items: [
          { text: 'Getting started', link: '/getting-started' },
          { text: 'Options', link: '/options' },
          { text: 'Subgenerators', link: '/subgenerators' },
          { text: 'Kubernetes', link: '/kubernetes' },
          { text: 'Heroku', link: '/heroku' },
          { text: 'Render', link: '/render' },
          { text: 'Fly.io', link: '/fly' },
          { text: 'The twelve factors', link: '/factors' },
          { text: 'Preview', link: '/preview' },
        ],
      },
    ],
    search: undefined,
  },
  vite: { plugins: [templatesModule()] },
});
