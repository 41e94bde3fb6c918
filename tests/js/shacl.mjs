// rdf-validate-shacl (a SHACL engine that is not pySHACL) over files: node shacl.mjs SHAPES ONTOLOGY DATA...
// The shapes' owl:imports of the ontology is answered with the shipped ontology file, never fetched.
// rdf-validate-shacl implements SHACL Core only: the sh:sparql constraints (SHACL-SPARQL) are left out
// here, and Jena's shacl checks them.
import rdf from '@zazuko/env-node'
import SHACLValidator from 'rdf-validate-shacl'

const [shapesPath, ontologyPath, ...dataPaths] = process.argv.slice(2)
const shapes = await rdf.dataset().import(rdf.fromFile(shapesPath))
const sparql = rdf.namedNode('http://www.w3.org/ns/shacl#sparql')
for (const quad of [...shapes.match(null, sparql)]) shapes.delete(quad)
const data = rdf.dataset()
for (const path of dataPaths) await data.import(rdf.fromFile(path))
const importGraph = async () => rdf.dataset().import(rdf.fromFile(ontologyPath))
const report = await new SHACLValidator(shapes, { factory: rdf, importGraph }).validate(data)
const results = report.results.map(r => ({
  focus: r.focusNode?.value, path: r.path?.value, value: r.value?.value, severity: r.severity?.value,
  shape: r.sourceShape?.value, message: r.message.map(m => m.value)
}))
console.log(JSON.stringify({ conforms: report.conforms, quads: data.size, results }))
