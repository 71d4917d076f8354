import { describe, expect, it } from 'vitest';
import { maskText, scrub } from './privacy.js';

describe('privacy', () => {
  it('drops person keys at any depth, in arrays too, and leaves a clean record as it is', () => {
    const record = {
      cvrNummer: 10000009,
      deltagerRelation: [{ deltager: { navne: [{ navn: 'Jens Hansen' }] } }],
      elektroniskPost: [{ kontaktoplysning: 'jens@example.dk' }],
      telefonNummer: [{ kontaktoplysning: '12345678' }],
      penheder: [{ pNummer: 1000000001, obligatoriskEmail: 'x@y.dk' }],
      virksomhedMetadata: { nyesteNavn: { navn: 'Hansens Smedie ApS' }, nyesteKontaktoplysninger: ['a@b.dk'] },
    };
    expect(scrub(record)).toEqual({
      cvrNummer: 10000009,
      penheder: [{ pNummer: 1000000001 }],
      virksomhedMetadata: { nyesteNavn: { navn: 'Hansens Smedie ApS' } },
    });
    const clean = { a: [{ b: 1 }] };
    expect(scrub(clean)).toBe(clean);
    expect(scrub({ navn: 'Peter', antal: 2 }, /^navn$/i)).toEqual({ antal: 2 });
    // Verdicts are kept per source's extra keys: what one source drops, another keeps.
    expect(scrub({ navn: 'Peter', antal: 2 })).toEqual({ navn: 'Peter', antal: 2 });
    // A stateful pattern (g flag) still drops every key it matches.
    expect(scrub({ navn: 'Peter', fornavn: 'Peter', antal: 2 }, /navn/g)).toEqual({ antal: 2 });
    // In an array only the elements that held person keys are copied.
    const kept = { a: 1 };
    const scrubbed = scrub([kept, { kontakt: 'Jens', b: 2 }]) as unknown[];
    expect(scrubbed).toEqual([{ a: 1 }, { b: 2 }]);
    expect(scrubbed[0]).toBe(kept);
  });

  it('masks what text that cannot be parsed may carry', () => {
    expect(
      maskText('{"kontaktPerson": "Peter Privat", "kontaktMail": "pp@skole.dk", "tlf": "+45 12 34 56 78", "cvr": 10000009, broken'),
    ).toBe('{"kontaktPerson":"[removed]", "kontaktMail":"[removed]", "tlf":"[removed]", "cvr": 10000009, broken');
    const broken =
      '{"cvrNummer": 10000009, "deltagerRelation": [{"deltager": {"navne": [{"navn": "Jens Hansen"}]}}], "navne": [{"navn": "Hansens Smedie"}], "telefonNummer": [{"kontaktoplysning": "12345678"}], "x": ';
    expect(maskText(broken)).toBe(
      '{"cvrNummer": 10000009, "deltagerRelation":"[removed]", "navne": [{"navn": "Hansens Smedie"}], "telefonNummer":"[removed]", "x": ',
    );
    expect(maskText('{"a": 1, "kontakt": {"navn": "Jens", "b": [1, 2')).toBe('{"a": 1, "kontakt":"[removed]"');
    expect(maskText('ring 12 34 56 78 eller skriv til a.b@c.dk, cpr 010203-1234')).toBe(
      'ring [number removed] eller skriv til [e-mail removed], cpr [number removed]',
    );
  });
});
