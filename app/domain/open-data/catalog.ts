// The open-data catalog in two vocabularies: DCAT-US 3.0 (data.json, what US-style
// harvesters and CKAN read) and DCAT-AP (JSON-LD, what European portals read). Both are
// built from DATASETS, so the page, the catalog and the API name the same datasets.
import { DATASET_IDS, DATASETS, type DatasetId } from "./datasets";

export const LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/";
const DCAT_US_SPEC = "https://doi-do.github.io/dcat-us/";
const DCAT_US_CONTEXT = "https://raw.githubusercontent.com/DOI-DO/dcat-us/main/context/dcat-us-3.0.jsonld";
const DCAT_AP_SPEC = "http://data.europa.eu/r5r/";
const TABULAR_DATA_PACKAGE = "https://specs.frictionlessdata.io/tabular-data-package/";
const LANGUAGES = { vi: "http://id.loc.gov/vocabulary/iso639-1/vi", en: "http://id.loc.gov/vocabulary/iso639-1/en" };
const EU_LANGUAGES = [
  "http://publications.europa.eu/resource/authority/language/VIE",
  "http://publications.europa.eu/resource/authority/language/ENG",
];
const PUBLIC_ACCESS = "http://publications.europa.eu/resource/authority/access-right/PUBLIC";
const DAILY = "http://publications.europa.eu/resource/authority/frequency/DAILY";
const CSV = "http://publications.europa.eu/resource/authority/file-type/CSV";
const JSON_FILE = "http://publications.europa.eu/resource/authority/file-type/JSON";
const media = (type: string) => `https://www.iana.org/assignments/media-types/${type}`;

export const CATALOG_TITLE = { vi: "Dữ liệu mở về sản phẩm OCOP", en: "Open data on OCOP products" };
export const CATALOG_DESCRIPTION = {
  vi: "Cơ sở sản xuất, sản phẩm OCOP, lô hàng, sự kiện truy xuất, kết quả kiểm tra, thu hồi và thống kê lượt quét, cập nhật hằng ngày, theo giấy phép CC BY 4.0.",
  en: "Producers, OCOP products, lots, trace events, inspection verdicts, recalls and scan statistics, updated daily, under CC BY 4.0.",
};
const KEYWORDS = { vi: ["OCOP", "truy xuất nguồn gốc", "nông sản"], en: ["OCOP", "traceability", "farm products"] };

/** When a dataset's rows begin and were last changed (dates, YYYY-MM-DD); null while it is empty. */
export type DatasetDates = { start: string | null; end: string | null; modified: string | null };

export type CatalogFacts = {
  baseUrl: string;
  publisher: { name: string; email: string };
  dates: Record<DatasetId, DatasetDates>;
};

export const openDataUrls = (baseUrl: string, id: DatasetId) => ({
  landingPage: `${baseUrl}/du-lieu-mo#${id}`,
  latest: `${baseUrl}/du-lieu-mo/${id}/latest.csv.gz`,
  dated: `${baseUrl}/du-lieu-mo/${id}/{YYYY-MM-DD}.csv.gz`,
  api: `${baseUrl}/api/v1/open-data/${id}`,
});

export const catalogUrls = (baseUrl: string) => ({
  page: `${baseUrl}/du-lieu-mo`,
  dataJson: `${baseUrl}/data.json`,
  jsonLd: `${baseUrl}/du-lieu-mo/catalog.jsonld`,
  dataPackage: `${baseUrl}/du-lieu-mo/datapackage.json`,
  openApi: `${baseUrl}/api/v1/openapi.json`,
});

/** Each dataset with what both vocabularies say of it: its words, URLs, dates and identifier. */
const datasetsOf = (facts: CatalogFacts) =>
  DATASET_IDS.map((id) => ({
    id,
    info: DATASETS[id],
    links: openDataUrls(facts.baseUrl, id),
    dates: facts.dates[id],
    identifier: `${catalogUrls(facts.baseUrl).page}/${id}`,
  }));

function latestDate(facts: CatalogFacts): string | null {
  const all = DATASET_IDS.map((id) => facts.dates[id].modified).filter((d): d is string => d !== null);
  return all.length ? all.sort().at(-1)! : null;
}

/** DCAT-US 3.0 catalog (data.json): validated against DOI-DO/dcat-us's JSON schema in the tests. */
export function dcatUsCatalog(facts: CatalogFacts) {
  const urls = catalogUrls(facts.baseUrl);
  const publisher = { "@type": "Organization", name: facts.publisher.name, prefLabel: facts.publisher.name };
  const contactPoint = [{ "@type": "Kind", fn: facts.publisher.name, hasEmail: `mailto:${facts.publisher.email}` }];
  const language = [LANGUAGES.vi, LANGUAGES.en];
  const schemaDistribution = {
    "@type": "Distribution",
    title: "datapackage.json (Frictionless Data Package, Table Schema)",
    downloadURL: urls.dataPackage,
    mediaType: media("application/json"),
    format: JSON_FILE,
    conformsTo: [TABULAR_DATA_PACKAGE],
    license: LICENSE_URL,
  };
  return {
    "@context": DCAT_US_CONTEXT,
    "@id": urls.dataJson,
    "@type": "Catalog",
    conformsTo: DCAT_US_SPEC,
    title: CATALOG_TITLE.vi,
    titleMap: CATALOG_TITLE,
    description: CATALOG_DESCRIPTION.vi,
    descriptionMap: CATALOG_DESCRIPTION,
    publisher,
    contactPoint,
    homepage: urls.page,
    language,
    license: LICENSE_URL,
    modified: latestDate(facts),
    dataset: datasetsOf(facts).map(({ id, info, links, dates, identifier }) => {
      return {
        "@id": links.landingPage,
        "@type": "Dataset",
        identifier: [identifier],
        title: info.title.vi,
        titleMap: info.title,
        description: info.description.vi,
        descriptionMap: info.description,
        keyword: KEYWORDS.vi.join(", "),
        keywordMap: { vi: KEYWORDS.vi, en: KEYWORDS.en },
        modified: dates.modified,
        publisher,
        contactPoint,
        // DCAT-US 1.1's field, kept for harvesters that still read it; 3.0 says the same with accessRights.
        accessLevel: "public",
        accessRights: PUBLIC_ACCESS,
        accrualPeriodicity: DAILY,
        temporal: dates.start ? [{ "@type": "PeriodOfTime", startDate: dates.start, endDate: dates.end }] : null,
        language,
        landingPage: links.landingPage,
        describedBy: schemaDistribution,
        distribution: [
          {
            "@type": "Distribution",
            title: `${id}: CSV (gzip), latest daily snapshot`,
            downloadURL: links.latest,
            mediaType: media("text/csv"),
            compressFormat: media("application/gzip"),
            format: CSV,
            describedBy: schemaDistribution,
            conformsTo: [TABULAR_DATA_PACKAGE],
            license: LICENSE_URL,
            language,
          },
          {
            "@type": "Distribution",
            title: `${id}: JSON API (cursor-paginated)`,
            accessURL: links.api,
            mediaType: media("application/json"),
            format: JSON_FILE,
            describedBy: { "@type": "Distribution", title: "OpenAPI 3.1", downloadURL: urls.openApi, mediaType: media("application/json") },
            conformsTo: [urls.openApi],
            license: LICENSE_URL,
            language,
          },
        ],
      };
    }),
  };
}

const both = (text: { vi: string; en: string }) => [
  { "@value": text.vi, "@language": "vi" },
  { "@value": text.en, "@language": "en" },
];
const date = (value: string) => ({ "@value": value, "@type": "xsd:date" });

/** DCAT-AP 3 catalog as JSON-LD with its context inline (no fetch needed to read it). */
export function dcatApCatalog(facts: CatalogFacts) {
  const urls = catalogUrls(facts.baseUrl);
  const publisher = { "@id": `${urls.page}#publisher`, "@type": "foaf:Agent", "foaf:name": facts.publisher.name };
  const contact = {
    "@type": "vcard:Organization",
    "vcard:fn": facts.publisher.name,
    "vcard:hasEmail": { "@id": `mailto:${facts.publisher.email}` },
  };
  const license = { "@id": LICENSE_URL, "@type": "dct:LicenseDocument" };
  const languages = EU_LANGUAGES.map((l) => ({ "@id": l }));
  const modified = latestDate(facts);
  return {
    "@context": {
      dcat: "http://www.w3.org/ns/dcat#",
      dct: "http://purl.org/dc/terms/",
      foaf: "http://xmlns.com/foaf/0.1/",
      vcard: "http://www.w3.org/2006/vcard/ns#",
      xsd: "http://www.w3.org/2001/XMLSchema#",
    },
    "@id": urls.jsonLd,
    "@type": "dcat:Catalog",
    "dct:conformsTo": { "@id": DCAT_AP_SPEC },
    "dct:title": both(CATALOG_TITLE),
    "dct:description": both(CATALOG_DESCRIPTION),
    "dct:publisher": publisher,
    "dct:license": license,
    "dct:language": languages,
    "foaf:homepage": { "@id": urls.page },
    ...(modified ? { "dct:modified": date(modified) } : {}),
    "dcat:dataset": datasetsOf(facts).map(({ info, links, dates, identifier }) => {
      return {
        "@id": links.landingPage,
        "@type": "dcat:Dataset",
        "dct:identifier": identifier,
        "dct:title": both(info.title),
        "dct:description": both(info.description),
        "dcat:keyword": [
          ...KEYWORDS.vi.map((k) => ({ "@value": k, "@language": "vi" })),
          ...KEYWORDS.en.map((k) => ({ "@value": k, "@language": "en" })),
        ],
        "dct:publisher": publisher,
        "dcat:contactPoint": contact,
        "dct:accessRights": { "@id": PUBLIC_ACCESS },
        "dct:accrualPeriodicity": { "@id": DAILY },
        "dct:language": languages,
        "dcat:landingPage": { "@id": links.landingPage },
        ...(dates.modified ? { "dct:modified": date(dates.modified) } : {}),
        ...(dates.start
          ? {
              "dct:temporal": {
                "@type": "dct:PeriodOfTime",
                "dcat:startDate": date(dates.start),
                ...(dates.end ? { "dcat:endDate": date(dates.end) } : {}),
              },
            }
          : {}),
        "dcat:distribution": [
          {
            "@id": links.latest,
            "@type": "dcat:Distribution",
            "dct:title": both({ vi: "CSV nén gzip, bản mới nhất", en: "gzip CSV, latest snapshot" }),
            "dcat:accessURL": { "@id": links.latest },
            "dcat:downloadURL": { "@id": links.latest },
            "dcat:mediaType": { "@id": media("text/csv") },
            "dcat:compressFormat": { "@id": media("application/gzip") },
            "dct:format": { "@id": CSV },
            "dct:license": license,
            "dct:conformsTo": { "@id": urls.dataPackage },
          },
          {
            "@id": links.api,
            "@type": "dcat:Distribution",
            "dct:title": both({ vi: "API JSON (phân trang bằng con trỏ)", en: "JSON API (cursor-paginated)" }),
            "dcat:accessURL": { "@id": links.api },
            "dcat:mediaType": { "@id": media("application/json") },
            "dct:format": { "@id": JSON_FILE },
            "dct:license": license,
            "dct:conformsTo": { "@id": urls.openApi },
          },
        ],
      };
    }),
  };
}
