// jsonld.js (the JSON-LD reference processor in JavaScript) turns a JSON-LD file into N-Quads on
// stdout: node jsonld-to-nquads.mjs FILE. It fetches nothing: a remote context is an error.
import { readFile } from 'node:fs/promises'
import jsonld from 'jsonld'

const documentLoader = async (url) => { throw new Error(`will not fetch ${url}`) }
const document = JSON.parse(await readFile(process.argv[2], 'utf8'))
process.stdout.write(await jsonld.toRDF(document, { format: 'application/n-quads', documentLoader }))
