/**
 * The catalogue's Copy buttons: each copies the MDX of its example (the `<pre>` beside it) to the
 * clipboard, and says so in its status line. Where the Clipboard API is refused, the snippet is
 * selected and copied with the older `execCommand('copy')`.
 */
async function copy(text: string, pre: HTMLElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const range = document.createRange();
    range.selectNodeContents(pre);
    const selection = getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    return document.execCommand('copy');
  }
}

for (const button of document.querySelectorAll<HTMLButtonElement>('[data-copy]')) {
  const box = button.parentElement!;
  const pre = box.querySelector<HTMLElement>('[data-snippet]')!;
  const said = box.querySelector<HTMLElement>('[data-copied]')!;
  button.addEventListener('click', () => {
    void copy(pre.textContent ?? '', pre).then((done) => {
      said.textContent = done ? 'Copied.' : 'Select the text and copy it.';
    });
  });
}
