"""Plans (climate action plans and strategies) with their versions, targets and actions."""
