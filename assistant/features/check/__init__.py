"""The Compliancy Check: checklist, evidence, runs, review, report and export."""
