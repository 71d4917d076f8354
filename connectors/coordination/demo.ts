import fs from 'node:fs';
import path from 'node:path';
import { municipalityByCode, readCodeList } from '../../src/codes/lists.js';
import type { Random } from '../../src/demo/random.js';
import type { DemoFile, DemoWorld } from '../../src/demo/world.js';
import { addDays } from '../../src/today.js';
import { demoProviders } from '../../src/demo/catalogue.js';

const JOBCENTRE_TOPICS = ['rekruttering', 'virksomhedspraktik', 'løntilskud', 'fastholdelse', 'jobrotation', 'opkvalificering', 'fleksjob'];
const JOBCENTRE_OUTCOMES = [
  'Aftalt opslag af stillinger på Jobnet',
  'Virksomheden vil tage en praktikant',
  'Drøftet behov for faglærte; sender kandidater',
  'Ingen aktuelle behov; ny kontakt efter sommer',
  'Aftalt jobrotationsprojekt med AMU',
  'Afklaret fastholdelse af sygemeldt medarbejder (ingen personoplysninger her)',
];
const VEU_OUTCOMES = [
  'Kompetenceafklaring aftalt',
  'Tilbudt AMU-hold i virksomheden',
  'Sendt kursusoversigt',
  'Aftalt uddannelsesplan for fire medarbejdere',
];
const CHANNELS: [string, number][] = [
  ['VISIT', 4],
  ['PHONE', 3],
  ['MEETING', 2],
  ['EMAIL', 1],
];

/**
 * The shared contact log's demo: contacts that jobcentres and education providers recorded with the
 * demo companies over the last seven months, some with a follow-up, as the `contacts` feed carries them.
 */
export function writeContactFiles(world: DemoWorld, dir: string, rnd: Random): DemoFile[] {
  const consultants = readCodeList<{ name: string; system: string }>('demo/consultants.csv');
  const jobcentre = consultants.filter((c) => c.system === 'JOBCENTRE').map((c) => c.name);
  const veu = consultants.filter((c) => c.system === 'VEU').map((c) => c.name);
  const providers = demoProviders();
  const lines: string[] = [];
  for (const c of world.companies) {
    if (!c.active || c.employees < 2) continue;
    const contacts: object[] = [];
    if (rnd.chance(0.15)) {
      for (let n = rnd.int(1, 3); n > 0; n--) {
        const date = addDays(world.today, -rnd.int(0, 210));
        contacts.push({
          system: 'JOBCENTRE',
          organisation: `Jobcenter ${municipalityByCode(c.municipality)!.name}`,
          consultant: rnd.pick(jobcentre),
          channel: rnd.weighted(CHANNELS),
          date,
          topics: [...new Set([rnd.pick(JOBCENTRE_TOPICS), rnd.pick(JOBCENTRE_TOPICS)])],
          outcome: rnd.pick(JOBCENTRE_OUTCOMES),
          followUpOn: rnd.chance(0.4) ? addDays(date, rnd.int(14, 60)) : undefined,
        });
      }
    }
    const local = providers.filter((p) => p.municipalities.includes(c.municipality));
    if (local.length && rnd.chance(0.06)) {
      const date = addDays(world.today, -rnd.int(0, 210));
      contacts.push({
        system: 'VEU',
        organisation: rnd.pick(local).name,
        consultant: rnd.pick(veu),
        channel: rnd.weighted(CHANNELS),
        date,
        topics: ['kompetenceudvikling', 'AMU'],
        outcome: rnd.pick(VEU_OUTCOMES),
        followUpOn: rnd.chance(0.3) ? addDays(date, rnd.int(14, 45)) : undefined,
      });
    }
    contacts.forEach((x, i) => lines.push(JSON.stringify({ idempotencyKey: `demo-${c.cvr}-${i + 1}`, cvr: c.cvr, ...x })));
  }
  const file = path.join(dir, 'contacts.ndjson');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return [{ source: 'contacts', file }];
}
