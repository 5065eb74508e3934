// The printed letter on screen, from the layout model the server's PDF/A uses
// (shared/render/letter.ts): the preview shows it, read-along mode shows it in large type with
// the BSN masked. Runs keep bold and italic; lists, the agreements table and the citizens'
// signatures (with the same caption and warning) print as in the PDF, in the same place; the
// contact block, reference lines and signature block as on paper (P6–P7).
import { useState } from 'preact/hooks';
import { SIGNATURE_BOX, type Stroke } from '../../../shared/model/signatures';
import type { Run } from '../../../shared/model/rich-text';
import {
  ATTACHMENTS_HEADING,
  REFERENCE_LABELS,
  SIGNATURE_OUTDATED_WARNING,
  signatureAlt,
  signatureCaption,
  signaturesAfterBlock,
  type LetterContent,
  type LetterLayout,
  type LetterSignature,
} from '../../../shared/render/letter';

export interface LetterProps {
  layout: LetterLayout;
  /** The letterhead's logo (an object URL, see use-logo.ts); null or absent: the name alone. */
  logo?: string | null;
  /** 'large': larger type and spacing, for reading along beside the official. */
  size?: 'normal' | 'large';
  /** The letter's accessible name; read-along mode names it otherwise. */
  label?: string;
}

export function Letter({ layout, logo = null, size = 'normal', label = 'Voorbeeld van de brief' }: LetterProps) {
  const signaturesAfter = signaturesAfterBlock(layout);
  const signatures = layout.signatures.length > 0 ? <Signatures signatures={layout.signatures} /> : null;
  return (
    <article class={size === 'large' ? 'kt-letter kt-letter--large' : 'kt-letter'} aria-label={label} data-testid="letter">
      <header class="kt-letter__head">
        {logo !== null && <Logo src={logo} />}
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
        {layout.contact.length > 0 && (
          <dl class="kt-letter__contact" aria-label="Contactgegevens" data-testid="letter-contact">
            {layout.contact.map((group) => (
              <div key={group.heading}>
                <dt>{group.heading}</dt>
                {group.lines.map((line, i) => (
                  <dd key={i}>{line}</dd>
                ))}
              </div>
            ))}
          </dl>
        )}
      </div>
      <dl class="kt-letter__refs">
        {layout.references.map((r) => (
          <div key={r.label}>
            <dt>{r.label}</dt>
            <dd class={r.unbroken === true ? 'kt-letter__unbroken' : undefined}>
              {r.label === REFERENCE_LABELS.kenmerk && r.value === '' ? 'volgt bij indienen' : r.value}
            </dd>
          </div>
        ))}
        <div class="kt-letter__subject">
          <dt>{REFERENCE_LABELS.subject}</dt>
          <dd>{layout.subject !== '' ? layout.subject : <span class="kt-letter__missing">geen onderwerp</span>}</dd>
        </div>
      </dl>
      {signaturesAfter < 0 && signatures}
      {layout.blocks.map((block, b) => (
        <section key={block.key} class="kt-letter__block" aria-label={block.label}>
          {block.content.map((content, i) => (
            <LetterContentView key={i} content={content} />
          ))}
          {b === signaturesAfter && signatures}
        </section>
      ))}
      <footer class="kt-letter__signature">
        {/* As on paper: the mandate line opens with a capital and ends with a comma. */}
        <p class="kt-letter__paragraph">{`${layout.signature.line.charAt(0).toUpperCase()}${layout.signature.line.slice(1)},`}</p>
        <p class="kt-letter__paragraph kt-letter__signer">
          {layout.signature.name}
          {layout.signature.functionTitle !== undefined && layout.signature.functionTitle !== '' && (
            <span class="kt-letter__line kt-letter__function">{layout.signature.functionTitle}</span>
          )}
        </p>
      </footer>
      {layout.attachments !== undefined && layout.attachments.length > 0 && (
        <section class="kt-letter__attachments" aria-label={ATTACHMENTS_HEADING}>
          {/* F16: as on paper, under the signature: caption, else name, numbered. */}
          <h2 class="kt-letter__paragraph kt-letter__attachments-heading">{ATTACHMENTS_HEADING}</h2>
          <ol class="kt-letter__attachments-list">
            {layout.attachments.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ol>
        </section>
      )}
    </article>
  );
}

/** Decoration beside the name (alt ""), as in the PDF where it is an Artifact; a broken file hides. */
function Logo({ src }: { src: string }) {
  const [failed, setFailed] = useState<string | null>(null);
  if (failed === src) return null;
  return <img class="kt-letter__logo" src={src} alt="" onError={() => setFailed(src)} />;
}

function strokePoints(stroke: Stroke): string {
  const points: string[] = [];
  for (let i = 0; i + 1 < stroke.length; i += 2) points.push(`${stroke[i]},${stroke[i + 1]}`);
  return points.join(' ');
}

function Signatures({ signatures }: { signatures: readonly LetterSignature[] }) {
  return (
    <div class="kt-letter__signatures">
      {signatures.map((signature, i) => (
        <figure key={i} class="kt-letter__citizen-signature">
          <svg
            class="kt-letter__strokes"
            viewBox={`0 0 ${SIGNATURE_BOX.width} ${SIGNATURE_BOX.height}`}
            role="img"
            aria-label={signatureAlt(signature)}
          >
            {signature.strokes.map((stroke, j) =>
              stroke.length === 2 ? (
                <circle key={j} cx={stroke[0]} cy={stroke[1]} r={4} />
              ) : (
                <polyline key={j} points={strokePoints(stroke)} />
              ),
            )}
          </svg>
          <figcaption>
            <p class="kt-letter__signature-caption">{signatureCaption(signature)}</p>
            {!signature.covers && <p class="kt-letter__warning">{SIGNATURE_OUTDATED_WARNING}</p>}
          </figcaption>
        </figure>
      ))}
    </div>
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
