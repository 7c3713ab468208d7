"""The yearly status report: a frozen snapshot of plan, inventory, pathway, check and
monitoring results, rendered as PDF and Excel in English or Danish. Pure: no Django."""
