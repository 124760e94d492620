declare module 'virtual:twelve-templates' {
  /** templates/ as the CLI's loadTemplates() reads it, at docs build time. */
  const templates: Readonly<Record<string, string>>;
  export default templates;
}
