"""Plans: the plan document (spec and CAPF sections), typed effects, adoption curves,
distributions, compilation to arrays, the numeric kernels, scenarios, attribution, costs,
optimisation, uncertainty, monitoring and charts.

May import: the layers below it (core, io, reference, inventory, pathway).
"""
