import { describe, expect, it } from 'vitest';
import { PageModules } from '../../../workers/runtime/page-modules.ts';

// The bundle's text arriving and running is a browser matter (Node cannot import `blob:` URLs):
// test/browser/charts.test.ts fetches Plot that way. Here: the asking and the failures.
describe('PageModules', () => {
  it('asks the page once while a load is pending, and again after it failed', async () => {
    const asked: string[] = [];
    const modules = new PageModules((name) => void asked.push(name));
    const first = modules.load('plot');
    const second = modules.load('plot');
    expect(second).toBe(first);
    expect(asked).toEqual(['plot']);
    await modules.provide('plot', undefined, 'Observable Plot could not be loaded (HTTP 404).');
    await expect(first).rejects.toThrow('HTTP 404');
    const again = modules.load('plot');
    expect(asked).toEqual(['plot', 'plot']);
    await modules.provide('plot', undefined);
    await expect(again).rejects.toThrow('The page could not send plot.');
  });

  it('drops an answer nothing asked for', async () => {
    const modules = new PageModules(() => {});
    await expect(modules.provide('plot', 'export {}')).resolves.toBeUndefined();
  });
});
