import { readCodeList } from '../codes/lists.js';

// The demo's course catalogue and education providers (data/demo/): VEU's files list them, and the
// jobcentre's and contact log's demos name them, so they are shared here rather than imported across connectors.

export interface DemoCourse {
  number: string;
  title: string;
  days: string;
  disco: string;
  positiveList: boolean;
  theme: string;
}

export interface DemoProvider {
  name: string;
  number: string;
  kind: string;
  street: string;
  postcode: string;
  city: string;
  website: string;
  themes: string[];
  municipalities: string[];
}

/** The demo catalogue: data/demo/amu-courses.csv with each {a|b} line expanded into one course per variant. */
export function demoCourses(): DemoCourse[] {
  const courses: DemoCourse[] = [];
  for (const r of readCodeList<{ number: string; title: string; days: string; disco: string; positive_list: string; theme: string }>(
    'demo/amu-courses.csv',
  )) {
    const m = /\{([^}]*)\}/.exec(r.title);
    const variants = m ? m[1]!.split('|') : [null];
    variants.forEach((v, i) => {
      courses.push({
        number: String(Number(r.number) + i),
        title: v === null ? r.title : r.title.replace(m![0], v),
        days: r.days,
        disco: r.disco,
        positiveList: r.positive_list === 'ja',
        theme: r.theme,
      });
    });
  }
  const numbers = new Set(courses.map((c) => c.number));
  if (numbers.size !== courses.length) throw new Error('data/demo/amu-courses.csv expands into duplicate course numbers');
  return courses;
}

export function demoProviders(): DemoProvider[] {
  return readCodeList<Record<string, string>>('demo/veu-providers.csv').map((r) => ({
    name: r.name!,
    number: r.number!,
    kind: r.kind!,
    street: r.street!,
    postcode: r.postcode!,
    city: r.city!,
    website: r.website!,
    themes: r.themes!.split(','),
    municipalities: r.municipalities!.split(','),
  }));
}
