"""What people look at: the coverage heatmap, the HTML report and the ontology documentation."""
