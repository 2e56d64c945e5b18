"""Layout parsers: one module per layout, each `parse(lines, spec) -> ParseResult`."""
