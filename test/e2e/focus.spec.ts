/**
 * Keyboard readers see where they are: tabbing through every page, each element that takes the
 * focus is on screen and draws a focus indicator (an outline or a ring), and the tab order
 * reaches the figures' controls.
 */
import { sitePages } from '../lib/site.ts';
import { expect, expectClean, test } from './fixtures.ts';


test('every element the Tab key reaches shows that it has the focus', async ({ page, problems }) => {
  test.setTimeout(300_000);
  const missing: string[] = [];
  let figureControls = 0;
  for (const path of await sitePages(page)) {
    await page.goto(path);
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const style = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
        const onScreen = box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight;
        const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(/\s+/)[0]}` : ''} “${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}”`;
        return { ring, onScreen, name, inFigure: Boolean(el.closest('figure')) };
      });
      if (!focused) break;
      if (focused.inFigure) figureControls++;
      if (!focused.ring || !focused.onScreen) missing.push(`${path}: ${focused.name}${focused.ring ? '' : ' has no focus ring'}${focused.onScreen ? '' : ' is off screen'}`);
    }
  }
  expect(figureControls, 'the tab order reaches the figures').toBeGreaterThan(20);
  expect(missing).toEqual([]);
  expectClean(problems);
});
