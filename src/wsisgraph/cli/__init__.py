"""The `wsisgraph` command: verbs over one built store.

Every command that reads the graph opens the store at --store, else $WSISGRAPH_STORE, else the
per-user data directory, and builds it first when it is missing or was built from other inputs.
User errors print one line on stderr and exit non-zero; they never show a traceback.

This module only assembles the root group; each command group lives in its own module, named for
the layer it drives (graph, sparql, views, publish, ingest), and shares common.py.
"""

import click

from wsisgraph import __version__
from wsisgraph.cli import graph, ingest, publish, sparql, views
from wsisgraph.cli.common import Group


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wsisgraph")
def main() -> None:
    """wsisgraph: a knowledge graph of how the WSIS action lines line up with the SDGs.

    Build the graph into a local store, ask canned alignment questions (or your own SPARQL),
    and export it in the standard RDF formats. Start with:

      wsisgraph query action-lines-for-goal --param goal=9
    """


for _command in (
    graph.build_command, sparql.queries_command, sparql.query_command, publish.export_command,
    sparql.stats_command, publish.serve_command, publish.push_command, views.coverage_command,
    views.report_command, views.docs_command, graph.validate_command, graph.reason_command,
    ingest.ingest_command, publish.release_command, publish.diff_command, publish.publish_command,
):
    main.add_command(_command)
