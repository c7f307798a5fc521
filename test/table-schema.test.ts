import { validateCsv, type Schema } from "./table-schema";

const schema: Schema = {
  fields: [
    { name: "id", type: "string", constraints: { required: true } },
    { name: "n", type: "integer", constraints: { minimum: 5 } },
    { name: "at", type: "datetime" },
    { name: "on", type: "date" },
    { name: "ok", type: "boolean", constraints: { required: true } },
    { name: "kind", type: "string", constraints: { enum: ["A", "B"] } },
    { name: "j", type: "string", format: "json" },
  ],
  primaryKey: ["id"],
  missingValues: [""],
};

describe("the Table Schema subset validator the snapshot tests use", () => {
  it("accepts a conforming file, quoted cells and empty optional cells included", () => {
    const csv = 'id,n,at,on,ok,kind,j\na,7,2026-12-07T01:02:03Z,2026-12-07,true,A,"{""x"":1}"\n"b,\nc",,,,false,,\n';
    expect(validateCsv(csv, schema)).toEqual({
      errors: [],
      rows: [
        { id: "a", n: "7", at: "2026-12-07T01:02:03Z", on: "2026-12-07", ok: "true", kind: "A", j: '{"x":1}' },
        { id: "b,\nc", n: "", at: "", on: "", ok: "false", kind: "", j: "" },
      ],
    });
  });

  it("reports wrong types, enum values, minimums, missing required cells, a repeated key and a wrong header", () => {
    const csv = "id,n,at,on,ok,kind,j\na,x,2026-12-07 01:02,2026-02-30,yes,C,nope\na,3,,,,,\n";
    expect(validateCsv(csv, schema).errors).toEqual([
      'row 2: n "x" not an integer',
      'row 2: at "2026-12-07 01:02" not a datetime (YYYY-MM-DDThh:mm:ssZ)',
      'row 2: on "2026-02-30" not a calendar date',
      'row 2: ok "yes" not a boolean',
      'row 2: kind "C" not in enum',
      'row 2: j "nope" not JSON',
      'row 3: n "3" below 5',
      "row 3: ok is required",
      'row 3: primary key ["a"] repeated',
    ]);
    expect(validateCsv("id,n\n", schema).errors[0]).toMatch(/^header id,n is not id,n,at/);
  });
});
