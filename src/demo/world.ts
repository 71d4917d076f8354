/** A demo company as the generators share it; each connector's generator writes its own source files from these. */
export interface DemoCompany {
  cvr: string;
  name: string;
  legalForm: { code: string; short: string; long: string };
  founded: string;
  street: string;
  houseNumber: string;
  municipality: string;
  postcode: string;
  city: string;
  industry: string;
  employees: number;
  pNumbers: string[];
  active: boolean;
}

export interface DemoWorld {
  seed: string;
  /** The day the demo is generated for (yyyy-mm-dd); dates in the files are spread around it. */
  today: string;
  companies: DemoCompany[];
}

/** One generated file and the ingest source that reads it. */
export interface DemoFile {
  source: string;
  file: string;
}
