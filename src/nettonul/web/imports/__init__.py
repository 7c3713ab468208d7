"""Document import in the web application: upload a plan or strategy document to a plan,
review its candidate targets and commitments, and turn the accepted ones into the plan's
targets and actions, each linked back to its quote."""
