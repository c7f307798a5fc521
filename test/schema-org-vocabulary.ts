import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Validator from "@adobe/structured-data-validator";
import WebAutoExtractor from "@marbec/web-auto-extractor";

// The schema.org vocabulary for @adobe/structured-data-validator, offline: the validator reads
// the "@graph" of schemaorg-all-https.jsonld (classes with rdfs:subClassOf, properties with
// schema:domainIncludes). @vocabulary/schema (MIT, zazuko/rdf-vocabularies) ships schema.org's
// own schemaorg-current-http.nt as N-Quads; this turns those triples into that graph shape.

const RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const RDFS_CLASS = "http://www.w3.org/2000/01/rdf-schema#Class";
const RDF_PROPERTY = "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property";
const SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf";
const DOMAIN_INCLUDES = "http://schema.org/domainIncludes";
const SCHEMA = "http://schema.org/";

type Node = { "@id": string; "@type"?: string; "rdfs:subClassOf"?: { "@id": string }[]; "schema:domainIncludes"?: { "@id": string }[] };

let vocabulary: { "@graph": Node[] } | undefined;

export function schemaOrgVocabulary(): { "@graph": Node[] } {
  if (vocabulary) return vocabulary;
  const file = createRequire(import.meta.url).resolve("@vocabulary/schema/schema.nq");
  const nodes = new Map<string, Node>();
  const node = (iri: string) => {
    const id = `schema:${iri.slice(SCHEMA.length)}`;
    let n = nodes.get(id);
    if (!n) nodes.set(id, (n = { "@id": id }));
    return n;
  };
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^<([^>]+)> <([^>]+)> <([^>]+)>/.exec(line);
    if (!m || !m[1]!.startsWith(SCHEMA)) continue;
    const [, subject, predicate, object] = m as unknown as [string, string, string, string];
    if (predicate === RDF_TYPE && object === RDFS_CLASS) node(subject)["@type"] = "rdfs:Class";
    else if (predicate === RDF_TYPE && object === RDF_PROPERTY) node(subject)["@type"] = "rdf:Property";
    else if (predicate === SUBCLASS_OF && object.startsWith(SCHEMA))
      (node(subject)["rdfs:subClassOf"] ??= []).push({ "@id": `schema:${object.slice(SCHEMA.length)}` });
    else if (predicate === DOMAIN_INCLUDES)
      (node(subject)["schema:domainIncludes"] ??= []).push({ "@id": `schema:${object.slice(SCHEMA.length)}` });
  }
  // Enumeration members (InStock, NewCondition) are instances, not classes: the validator needs only classes and properties.
  vocabulary = { "@graph": [...nodes.values()].filter((n) => n["@type"]) };
  return vocabulary;
}

export type StructuredDataIssue = { issueMessage: string; severity: "ERROR" | "WARNING"; fieldNames?: string[] };

/** The page's JSON-LD blocks as the validator reads them, and its verdict on them. */
export async function validateStructuredData(html: string): Promise<{ jsonld: Record<string, unknown[]>; issues: StructuredDataIssue[] }> {
  const extracted = new WebAutoExtractor({ addLocation: true, embedSource: ["rdfa", "microdata"] }).parse(html) as {
    jsonld: Record<string, unknown[]>;
  };
  const issues = (await new Validator(schemaOrgVocabulary()).validate(extracted)) as StructuredDataIssue[];
  return { jsonld: extracted.jsonld, issues };
}
