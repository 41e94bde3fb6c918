// The OWL API's OWL 2 DL profile check of RDF files, as the test suite runs it:
//   java -cp OWLAPI_JARS tests/java/OwlProfile.java FILE...
// Every FILE is parsed by the OWL API (Turtle, RDF/XML, N-Triples... by content) and their axioms are
// merged into one ontology, which the OWL2DLProfile checker then reads. Prints one JSON object:
// {"axioms": N, "unparsed": N, "violations": N, "kinds": {"UseOfUndeclaredDataProperty": N, ...},
//  "items": [{"kind": ..., "text": ...}, ...]} where "unparsed" counts the triples the parser could not
// turn into axioms or annotations (OWL tools drop them), and "items" lists every violation, sorted.
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.OWLOntologyDocumentSource;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class OwlProfile {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT);
        OWLOntology merged = manager.createOntology(IRI.create("urn:wsisgraph:owl-profile-check"));
        long unparsed = 0;
        for (String arg : args) {
            OWLOntologyDocumentSource source = new FileDocumentSource(new File(arg));
            OWLOntologyManager own = OWLManager.createOWLOntologyManager();
            OWLOntology ontology = own.loadOntologyFromOntologyDocument(source, config);
            var meta = own.getOntologyFormat(ontology).getOntologyLoaderMetaData();
            if (meta.isPresent()) {
                unparsed += meta.get().getUnparsedTriples().count();
            }
            manager.addAxioms(merged, ontology.axioms());
            ontology.annotations().forEach(a -> manager.applyChange(
                new org.semanticweb.owlapi.model.AddOntologyAnnotation(merged, a)));
        }
        List<OWLProfileViolation> violations = new OWL2DLProfile().checkOntology(merged).getViolations();
        Map<String, Integer> kinds = new TreeMap<>();
        List<String> items = new ArrayList<>();
        for (OWLProfileViolation v : violations) {
            String kind = v.getClass().getSimpleName();
            kinds.merge(kind, 1, Integer::sum);
            items.add("{\"kind\": " + quote(kind) + ", \"text\": " + quote(v.toString()) + "}");
        }
        items.sort(null);
        StringBuilder out = new StringBuilder();
        out.append("{\"axioms\": ").append(merged.getAxiomCount())
           .append(", \"unparsed\": ").append(unparsed)
           .append(", \"violations\": ").append(violations.size())
           .append(", \"kinds\": {");
        boolean first = true;
        for (Map.Entry<String, Integer> e : kinds.entrySet()) {
            out.append(first ? "" : ", ").append(quote(e.getKey())).append(": ").append(e.getValue());
            first = false;
        }
        out.append("}, \"items\": [").append(String.join(", ", items)).append("]}");
        System.out.println(out);
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c)); else b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
