// name: operates_in
// question: Where does an organization (e.g. a terrorist group) operate, according to which articles?
// params: organization (entity) - the organization's name, one of its aliases, or its id (e.g. داعش)
MATCH (o:Entity)
WHERE o.id = $organization OR o.name = $organization OR $organization IN coalesce(o.aliases, []) OR $organization_key IN coalesce(o.search_keys, [])
MATCH (o)-[r:OPERATES_IN]->(pl:Entity)
RETURN o.name AS organization, pl.name AS area, pl.type AS area_type, size(r.articles) AS n_sources,
       r.articles AS articles
ORDER BY area, area_type
