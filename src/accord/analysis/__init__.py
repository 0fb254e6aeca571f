"""Pure engines over the domain model: assess, solve, forecast."""
