/**
 * While a model trains (or waits paused), its status stays visible anywhere on the page: when
 * the panel is scrolled out of view, a small badge in the corner shows the step and the loss,
 * with Pause/Resume and a link back to the panel. It reads what the panel shows (its data-step
 * and loss field), so it never disagrees with it.
 */
export class TrainBadge {
  #panel: HTMLElement;
  #badge: HTMLElement;
  #text: HTMLElement;
  #toggle: HTMLButtonElement;
  #panelVisible = true;
  #observer: IntersectionObserver | undefined;

  constructor(panel: HTMLElement, onToggle: () => void) {
    this.#panel = panel;
    this.#badge = document.createElement('aside');
    this.#badge.className = 'train-badge';
    this.#badge.setAttribute('aria-label', 'Training status');
    this.#badge.hidden = true;
    this.#badge.dataset['trainBadge'] = '';
    this.#text = document.createElement('span');
    this.#toggle = document.createElement('button');
    this.#toggle.type = 'button';
    this.#toggle.addEventListener('click', onToggle);
    const back = document.createElement('button');
    back.type = 'button';
    back.textContent = 'Show the panel';
    back.addEventListener('click', () => panel.scrollIntoView({ block: 'start' }));
    this.#badge.append(this.#text, this.#toggle, back);
    document.body.append(this.#badge);
    if ('IntersectionObserver' in window) {
      this.#observer = new IntersectionObserver((entries) => {
        this.#panelVisible = entries.some((e) => e.isIntersecting);
        this.update();
      });
      this.#observer.observe(panel.querySelector('.figure-ui') ?? panel);
    }
  }

  /** Shows, hides and fills the badge from the panel's current state, step and loss. */
  update(): void {
    const state = this.#panel.dataset['state'];
    const active = state === 'running' || state === 'paused';
    this.#badge.hidden = !active || this.#panelVisible;
    if (this.#badge.hidden) return;
    const step = Number(this.#panel.dataset['step'] ?? 0).toLocaleString('en');
    const loss = this.#panel.querySelector('[data-field="loss"]')?.textContent ?? '';
    this.#text.textContent = `${state === 'paused' ? 'Paused' : 'Training'} · step ${step}${loss ? ` · loss ${loss}` : ''}`;
    this.#toggle.textContent = state === 'paused' ? 'Resume' : 'Pause';
  }

  disconnect(): void {
    this.#observer?.disconnect();
    this.#badge.remove();
  }
}
