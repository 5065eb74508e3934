// The printed letter on screen, from the layout model the server's PDF/A uses
// (shared/render/letter.ts): the preview shows it, read-along mode shows it in large type with
// the BSN masked. Runs keep bold and italic; lists and the agreements table print as in the PDF.
import type { LetterContent, LetterLayout } from '../../../shared/render/letter';
import type { Run } from '../../../shared/model/rich-text';

export function Letter({ layout }: { layout: LetterLayout }) {
  return (
    <article class="kt-letter" aria-label="Voorbeeld van de brief" data-testid="letter">
      <header class="kt-letter__head">
        <p class="kt-letter__municipality">{layout.municipality}</p>
      </header>
      <div class="kt-letter__top">
        <p class="kt-letter__addressee" aria-label="Geadresseerde">
          {layout.addressee.length > 0 ? (
            layout.addressee.map((line, i) => (
              <span key={i} class="kt-letter__line">
                {line}
              </span>
            ))
          ) : (
            <span class="kt-letter__missing">Naam en adres ontbreken</span>
          )}
        </p>
        <dl class="kt-letter__refs">
          <div>
            <dt>Datum</dt>
            <dd>{layout.date}</dd>
          </div>
          <div>
            <dt>Kenmerk</dt>
            <dd>{layout.kenmerk !== '' ? layout.kenmerk : 'volgt bij indienen'}</dd>
          </div>
          {layout.zaak !== '' && (
            <div>
              <dt>Zaaknummer</dt>
              <dd>{layout.zaak}</dd>
            </div>
          )}
          {layout.details.map((d) => (
            <div key={d.label}>
              <dt>{d.label}</dt>
              <dd>{d.value}</dd>
            </div>
          ))}
        </dl>
      </div>
      <p class="kt-letter__subject">
        <span class="kt-letter__subject-label">Onderwerp: </span>
        {layout.subject !== '' ? layout.subject : <span class="kt-letter__missing">geen onderwerp</span>}
      </p>
      {layout.blocks.map((block) => (
        <section key={block.key} class="kt-letter__block" aria-label={block.label}>
          {block.content.map((content, i) => (
            <LetterContentView key={i} content={content} />
          ))}
        </section>
      ))}
      <footer class="kt-letter__signature">
        <p class="kt-letter__paragraph">{layout.signature.line}</p>
        <p class="kt-letter__paragraph kt-letter__signer">{layout.signature.name}</p>
      </footer>
    </article>
  );
}

function Runs({ runs }: { runs: readonly Run[] }) {
  return (
    <>
      {runs.map((run, i) => {
        const text = run.bold ? <strong>{run.text}</strong> : <>{run.text}</>;
        return <span key={i}>{run.italic ? <em>{text}</em> : text}</span>;
      })}
    </>
  );
}

function LetterContentView({ content }: { content: LetterContent }) {
  if (content.type === 'paragraph') {
    return (
      <p class="kt-letter__paragraph">
        <Runs runs={content.runs} />
      </p>
    );
  }
  if (content.type === 'list') {
    const items = content.items.map((item, i) => (
      <li key={i}>
        <Runs runs={item} />
      </li>
    ));
    return content.ordered ? <ol class="kt-letter__list">{items}</ol> : <ul class="kt-letter__list">{items}</ul>;
  }
  return (
    <table class="kt-letter__agreements">
      <thead>
        <tr>
          <th scope="col">Wat</th>
          <th scope="col">Wie</th>
          <th scope="col">Wanneer</th>
        </tr>
      </thead>
      <tbody>
        {content.rows.map((row, i) => (
          <tr key={i}>
            <td>{row.wat}</td>
            <td>{row.wie}</td>
            <td>{row.wanneer}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
