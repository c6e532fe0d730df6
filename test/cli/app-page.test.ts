import { describe, expect, it } from 'vitest';
import { injectAppConfig } from '../../src/cli/app-page.ts';

const PAGE = '<!doctype html><html><head><title>Brook</title></head><body></body></html>';

describe('injectAppConfig', () => {
  it('writes the config, the title and a preload of the notebook (fetch mode, anonymous)', () => {
    const page = injectAppConfig(PAGE, { mode: 'app', notebook: 'notebook.md' }, 'Sales <2024>');
    expect(page).toContain('<script type="application/json" id="brook-config">{"mode":"app","notebook":"notebook.md"}</script>');
    expect(page).toContain('<link rel="preload" href="notebook.md" as="fetch" crossorigin="anonymous" data-brook-notebook>');
    expect(page).toContain('<title>Sales &lt;2024&gt;</title>');
  });

  it('replaces an earlier config and preload instead of adding a second', () => {
    const once = injectAppConfig(PAGE, { mode: 'app', notebook: 'a.md' });
    const twice = injectAppConfig(once, { mode: 'app', notebook: 'b.md' });
    expect(twice.match(/brook-config/g)).toHaveLength(1);
    expect(twice.match(/data-brook-notebook/g)).toHaveLength(1);
    expect(twice).toContain('href="b.md"');
  });

  it('preloads nothing for the studio, and escapes the notebook path', () => {
    expect(injectAppConfig(PAGE, { mode: 'studio' })).not.toContain('preload');
    expect(injectAppConfig(PAGE, { mode: 'app', notebook: 'a"b.md' })).toContain('href="a&quot;b.md"');
  });
});
