import { day } from './jobcentre.js';

// Jobnet records shaped exactly as Jobnet publishes them: every key, its nesting and its value format as in
// the search responses (POST job.jobnet.dk/CV/FindWork/Search…) and ad detail documents
// (GET job.jobnet.dk/CV/FindWork/JobDetailJson…?id=) kept as test resources by numbworks/NW.WIDJobs
// (tests/NW.WIDJobs.UnitTests/Resources/JobPage01/JobPage01.json.txt, JobPage02/JobPage02.json.txt and
// JobPage0?/JobPage0?_JobPostingExtended??.json.txt). The values here are made up for the tests.

/** Jobnet's id of the employer's workplace (WorkplaceID, Logo), a six-digit number. */
const WORKPLACE_ID = 126_565;

/** A day relative to today as Jobnet writes dates: "2021-08-27T00:00:00". */
export const jobnetDay = (offset: number) => `${day(offset)}T00:00:00`;

export interface PostingOptions {
  id: string;
  title?: string;
  hiringOrgName?: string;
  cvr?: number;
  address?: string;
  workPlacePostalCode?: string;
  city?: string;
  postalCode?: string;
  municipality?: string;
  region?: string;
  notStatic?: boolean;
  external?: boolean;
  occupation?: string;
  posted?: string;
  deadline?: string;
  employmentType?: string;
  workHours?: string;
}

/** One element of a search response's JobPositionPostings. */
export function searchPosting(o: PostingOptions): Record<string, unknown> {
  const external = o.external ?? o.id.startsWith('E');
  const title = o.title ?? 'Lagermedarbejder til vareindgang';
  const url = external ? `https://karriere.example.dk/job/${o.id}` : `https://job.jobnet.dk/CV/FindWork/Details/${o.id}`;
  return {
    AutomatchType: 0,
    Abroad: external,
    Weight: 1.0,
    Title: title,
    JobHeadline: title,
    Presentation: '<p>Vi søger en medarbejder. Ring til Jens Hansen på 12 34 56 78 eller skriv til jens.hansen@example.dk</p>\n',
    HiringOrgName: o.hiringOrgName ?? 'Herning Lager ApS',
    WorkPlaceAddress: o.address ?? 'Fabriksvej 12',
    WorkPlacePostalCode: o.workPlacePostalCode ?? '7400',
    WorkPlaceCity: o.city ?? 'Herning',
    WorkPlaceOtherAddress: false,
    WorkPlaceAbroad: false,
    WorkPlaceNotStatic: o.notStatic ?? false,
    UseWorkPlaceAddressForJoblog: !o.notStatic,
    PostingCreated: o.posted ?? jobnetDay(-5),
    LastDateApplication: o.deadline ?? jobnetDay(20),
    FormattedLastDateApplication: o.deadline === '1900-01-01T00:00:00' ? 'Ikke oplyst' : '27. august 2021',
    AssignmentStartDate: '0001-01-01T00:00:00',
    IsHotjob: false,
    IsExternal: external,
    Url: url,
    Region: o.region ?? 'Midtjylland',
    Municipality: o.municipality ?? 'Herning',
    Country: external ? '' : 'Danmark',
    PostalCode: o.postalCode ?? o.workPlacePostalCode ?? '7400',
    PostalCodeName: null,
    JobAnnouncementType: external ? 'Almindelige vilkår' : '',
    EmploymentType: o.employmentType ?? '',
    WorkHours: o.workHours ?? 'Fuldtid',
    OccupationArea: '',
    OccupationGroup: '',
    Occupation: o.occupation ?? (external ? '' : 'Lagerarbejder'),
    Location: external ? null : { Latitude: 56.1393, Longitude: 8.9738 },
    JoblogWorkTime: { WorkHour: null, DailyWorkTime: 'Dag' },
    WorkplaceID: external ? 0 : WORKPLACE_ID,
    OrganisationId: external ? '' : '71174',
    HiringOrgCVR: o.cvr ?? 0,
    UserLoggedIn: false,
    AnonymousEmployer: false,
    ShareUrl: external ? url : `https://job.jobnet.dk/CV/FindWork/DetailsSocialmedia/${o.id}`,
    DetailsUrl: external ? null : `https://job.jobnet.dk/CV/FindWork/Details/${o.id}`,
    JobLogUrl: url,
    HasLocationValues: !external,
    ID: o.id,
    Latitude: external ? 0 : 56.1393,
    Longitude: external ? 0 : 8.9738,
  };
}

const facet = (Value: string, Count: number) => ({ Id: 0, Value, Count });

/** A search response: the query echoed, its facets, one page of postings and the total. */
export function searchResponse(postings: Record<string, unknown>[], total = 2177): Record<string, unknown> {
  return {
    Expression: {
      ShowNearbyCriteria: true,
      Offset: 0,
      Count: 20,
      SearchString: null,
      SortValue: 'CreationDate',
      Id: [],
      EarliestPublicationDate: '0001-01-01T00:00:00',
      HotJob: false,
      Abroad: false,
      NearBy: null,
      ExternalJob: null,
      WorkPlaceNotStatic: null,
      WorkHourMin: null,
      WorkHourMax: null,
      OnlyGeoPoints: false,
      Facets: {
        Region: [],
        Country: [],
        Municipality: [],
        PostalCode: [],
        OccupationAreas: [],
        OccupationGroups: [],
        Occupations: [],
        EmploymentType: [],
        WorkHours: [],
        WorkHourPartTime: [],
        JobAnnouncementType: [],
        WorkPlaceNotStatic: [],
      },
      LocatedIn: null,
      LocationZip: null,
      Location: null,
      SearchInGeoDistance: 0,
      IsWorkInDenmarkJob: true,
    },
    Facets: {
      Region: [facet('Midtjylland', 445), facet('Hovedstaden og Bornholm', 1180)],
      Country: [facet('Danmark', 507)],
      Municipality: [facet('Aarhus', 242), facet('Herning', 12), facet('Høje-Taastrup', 24)],
      PostalCode: [facet('7400', 12)],
      WorkHours: [facet('Fuldtid', 1700), facet('Deltid', 300)],
    },
    JobPositionPostings: postings,
    TotalResultCount: total,
  };
}

interface AddressOptions {
  line?: string;
  postalCode?: string;
  city?: string;
  municipality?: { Id: number; Name: string };
}

const address = (a: AddressOptions) => ({
  AddressLine: a.line ?? 'Fabriksvej 12',
  Country: { Id: 58, Name: 'Danmark' },
  Municipality: a.municipality ?? { Id: 657, Name: 'Herning' },
  Region: { Id: 2, Name: 'Midtjylland' },
  PostalCode: a.postalCode ?? '7400',
  City: a.city ?? 'Herning',
});

export interface DetailOptions {
  id: number;
  cvr?: string;
  name?: string;
  title?: string;
  posted?: string;
  deadline?: string;
  numberToFill?: number;
  employmentType?: number;
  workLocation?: AddressOptions;
  /** The address of the employer's unit that posted the ad (WorkPlace.Address, HiringOrg.Address). */
  office?: AddressOptions;
  occupation?: string | null;
}

/** An ad detail document (JobDetailJson): the posting wrapped with the page's other data. */
export function detailDocument(o: DetailOptions): Record<string, unknown> {
  const cvr = o.cvr ?? '30899695';
  const name = o.name ?? 'Herning Lager ApS';
  const title = o.title ?? 'Lagermedarbejder til vareindgang';
  const org = {
    Name: name,
    Address: address(o.office ?? {}),
    PhoneNumber: { Number: '97123456', Type: 0, Description: 'Primary' },
    FaxNumber: null,
    Email: 'job@example.dk',
    WebAddress: null,
    Description: 'Lageret har 40 medarbejdere. Kontakt Jens Hansen, jens.hansen@example.dk.',
    Logo: WORKPLACE_ID,
    WorkPlaceOrganizationNumber: '1016232765',
    OrganizationNumber: cvr,
    OrganizationDescription: null,
  };
  const purpose = '<p>Vi søger en lagermedarbejder.</p>\n<p>Spørgsmål: Jens Hansen, tlf. 12 34 56 78, jens.hansen@example.dk.</p>';
  return {
    WorkSchedule: [
      { Id: 1, Name: 'Fuldtid' },
      { Id: 16, Name: 'Deltid' },
    ],
    WorkConditions: [
      { Id: 1, Name: 'Almindelige vilkår' },
      { Id: 2, Name: 'Fleksjob' },
    ],
    EmploymentTypes: [
      { Id: 1, Name: 'Fastansættelse' },
      { Id: 16, Name: 'Tidsbegrænset ansættelse' },
    ],
    WorkPlace: org,
    JobPositionPosting: {
      Id: o.id,
      OriginalJppId: o.id,
      HiringOrg: org,
      RecruitingCompany: null,
      PublicationStartDate: o.posted ?? jobnetDay(-5),
      PublicationEndDate: o.deadline ?? jobnetDay(20),
      JobPositionInformation: {
        PositionTitle: title,
        Purpose: purpose,
        WorkLocation: address(o.workLocation ?? {}),
        EmploymentType: o.employmentType ?? 1,
        WeeklyWorkHours: { TypeId: 1, TypeName: 'Fuldtid', Description: null },
        CompensationDescription: null,
        NumberToFill: o.numberToFill ?? 1,
        DriverLicense: [],
        Occupation: { DiscoWeb: 0, AlternateNames: [], GroupId: 0, AreaId: 0, Id: 0, Name: o.occupation ?? null },
        IsGovernmentHiring: false,
        JppContacts: [
          {
            Id: 7126681,
            Email: 'jens.hansen@example.dk',
            FaxNumber: null,
            PersonName: 'Jens Hansen',
            FirstName: 'Jens',
            LastName: 'Hansen',
            PositionTitle: 'Personalekonsulent',
            PhoneNumbers: [{ Number: '87654321', Type: 0, Description: 'Hovednummer' }],
          },
        ],
        EmploymentDate: null,
      },
      IsRecruitmentOfForeignNationals: true,
      IsWorkInDenmark: true,
      IsAnonymousEmployer: false,
      IsDisabilityFriendly: false,
      JppType: 4,
      ApplicationDetails: {
        WorkHourMax: null,
        WorkHourMin: null,
        DailyWorkTimeWeekend: false,
        DailyWorkTimeNight: false,
        DailyWorkTimeEvening: false,
        DailyWorkTimeDay: true,
        ReferenceText: null,
        RemarksToApplicant: null,
        ByEmail: 'jens.hansen@example.dk',
        ByPhone: '87654321',
        ApplyViaUrl: 'www.example.dk/job',
        ReplyInWriting: false,
        ApplicationDeadlineDate: o.deadline ?? jobnetDay(20),
      },
      ContactAuthorityPhoneNumber: { Number: null, Type: 0, Description: 'Primary' },
      Status: 7,
    },
    LogoUrl: `/CV/FindWork/GetLogo?JobAdId=${o.id}&WorkPlace=${WORKPLACE_ID}&Organisation=${cvr}`,
    Address: 'Fabriksvej 12,7400, Herning',
    ShowMap: false,
    ShowShareButtonJobLog: false,
    JobLogUrl: `/CV/Jobseeking/JobLog/CreateJobSearch?JobnetJobPostingIdentifier=${o.id}&Company.Name=${name}&Title=${title}`,
    JobLogTemplateModel: {
      Identifier: '00000000-0000-0000-0000-000000000000',
      Title: title,
      JobnetJobPostingIdentifier: String(o.id),
      Company: {
        Name: name,
        Address: 'Fabriksvej 12',
        PostCode: '7400',
        Town: 'Herning',
        ContactPerson: 'Jens Hansen',
        Phone: '87654321',
        Email: null,
      },
    },
    JoblogWorkTime: { WorkHour: null, DailyWorkTime: 'Dag' },
    Place: 'Work place location Herning municipality',
    OpenPrintDialog: false,
    WorkPlaceInfoText: name,
    JobCenterContactDetails: '',
    WorkPlaceDescriptionText: null,
    FavoriteText: '',
    IsFavorite: false,
    ShowFavorite: false,
    MetaOgTextForSharing: 'Vi søger en lagermedarbejder. Spørgsmål: Jens Hansen, tlf. 12 34 56 78',
    DescriptionForSharing: '"Vi søger en lagermedarbejder."',
    TitleForSharing: `"${title}"`,
    RutePlan: 'https://www.google.dk/maps/dir//Fabriksvej+12,7400,+Herning/',
    FormattedPurpose: purpose,
    MapUrl: 'https://www.google.dk/maps/place/Fabriksvej+12,7400,+Herning/',
    OrganizationNumber: cvr,
    ShowSearchJobButton: false,
    ShowPrint: false,
    BackToFindWorkButtonUrl: null,
  };
}
