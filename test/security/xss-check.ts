/**
 * Checks sanitized markup for anything that could run script, load a
 * document, or cover the page. Self-contained (no imports, no closures) so a
 * browser test can pass it to `page.evaluate` and run it on real DOM:
 *
 *   const found = await page.evaluate(`(${scriptVectors.toString()})(host)`)
 *
 * after inserting the sanitizer's output into `host` with `innerHTML`.
 * Returns a description of each problem; empty means clean.
 */
export function scriptVectors(root: ParentNode): string[] {
  const problems: string[] = [];
  const forbidden = new Set([
    'script', 'style', 'link', 'meta', 'base', 'iframe', 'frame', 'frameset', 'object', 'embed',
    'form', 'foreignobject', 'template', 'noscript', 'portal', 'applet',
  ]);
  const urlAttributes = new Set(['href', 'xlink:href', 'src', 'action', 'formaction', 'data', 'poster', 'srcdoc', 'background']);
  for (const element of Array.from(root.querySelectorAll('*'))) {
    const tag = element.localName.toLowerCase();
    // A Plot figure's scoped style is allowed; it is vetted by its own test.
    const plotStyle = tag === 'style' && /^\s*:where\(\.plot-/.test(element.textContent ?? '');
    if (forbidden.has(tag) && !plotStyle) problems.push(`<${tag}> element`);
    for (const attribute of Array.from(element.attributes)) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
      if (name.startsWith('on')) problems.push(`${name} handler on <${tag}>`);
      if (urlAttributes.has(name) && /^(javascript|vbscript):/.test(value)) problems.push(`${name}=${value.slice(0, 30)} on <${tag}>`);
      if (urlAttributes.has(name) && value.startsWith('data:') && !/^data:image\//.test(value)) problems.push(`${name}=data: on <${tag}>`);
      if (name === 'srcdoc' || name === 'ping') problems.push(`${name} on <${tag}>`);
      if ((tag === 'animate' || tag === 'set') && name === 'attributename' && /href/.test(value)) problems.push(`<${tag}> animating href`);
      if (name === 'style' && /position\s*:\s*(fixed|absolute|sticky)/.test(value)) problems.push(`positioned style on <${tag}>`);
      if (name === 'style' && /expression\(/.test(value)) problems.push(`expression() on <${tag}>`);
    }
    if ((tag === 'a' || tag === 'area') && element.hasAttribute('href') && !element.getAttribute('href')!.startsWith('#')) {
      if (element.getAttribute('target') !== '_blank' || !/noopener/.test(element.getAttribute('rel') ?? '')) problems.push(`<${tag}> link without target=_blank rel=noopener`);
    }
  }
  return problems;
}
