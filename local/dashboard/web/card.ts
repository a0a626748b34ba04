import { type AnswerMeta, describeAnswers } from './answer-meta';
import { downloadCsv } from './csv';
import { type Child, h, replaceChildren } from './dom';

export interface CardOptions {
  /** Stable id, for tests and links: `data-card`. */
  readonly id: string;
  readonly title: string;
  /** What the card shows and how it is computed (the title's tooltip and a screen reader description). */
  readonly help?: string;
  /** Spans the whole width of the grid. @default false */
  readonly wide?: boolean;
}

/** A titled box that loads, shows content or the API's error, and offers its series as CSV. */
export class Card {
  readonly element: HTMLElement;
  readonly body: HTMLElement;
  private readonly meta: HTMLElement;
  private readonly actions: HTMLElement;

  constructor(readonly options: CardOptions) {
    const titleId = `card-${options.id}-title`;
    this.body = h('div', { class: 'card-body' });
    this.meta = h('p', { class: 'card-meta' });
    this.actions = h('div', { class: 'card-actions' });
    this.element = h(
      'section',
      {
        class: options.wide ? 'card wide' : 'card',
        'data-card': options.id,
        'aria-labelledby': titleId,
      },
      h(
        'header',
        { class: 'card-header' },
        h('h3', { id: titleId, title: options.help }, options.title),
        this.actions,
      ),
      this.body,
      this.meta,
    );
    this.loading();
  }

  loading(): void {
    this.element.setAttribute('aria-busy', 'true');
    this.element.dataset.state = 'loading';
    replaceChildren(this.body, h('p', { class: 'loading' }, 'Loading…'));
  }

  fail(error: unknown): void {
    this.element.removeAttribute('aria-busy');
    this.element.dataset.state = 'error';
    this.actions.replaceChildren();
    replaceChildren(
      this.body,
      h('p', { class: 'error', role: 'alert' }, (error as Error)?.message ?? String(error)),
    );
  }

  show(...children: readonly Child[]): void {
    this.element.removeAttribute('aria-busy');
    this.element.dataset.state = 'ready';
    replaceChildren(this.body, ...children);
  }

  /** The discreet line about the answers behind the card. */
  describe(answers: readonly AnswerMeta[], timeZone: string): void {
    const { text, title } = describeAnswers(answers, timeZone);
    this.meta.textContent = text;
    if (title) this.meta.title = title;
  }

  /** A button that downloads the card's series as CSV. */
  offerCsv(filename: string, csv: () => string): void {
    this.actions.replaceChildren(
      h(
        'button',
        {
          type: 'button',
          class: 'csv',
          'data-csv': this.options.id,
          'aria-label': `Download ${this.options.title} as CSV`,
          onclick: () => downloadCsv(filename, csv()),
        },
        'CSV',
      ),
    );
  }
}
