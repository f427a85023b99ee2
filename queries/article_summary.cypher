// name: article_summary
// question: For each article: how many entities it mentions (by type) and how many facts it supports.
// params: none
MATCH (a:Article)
OPTIONAL MATCH (a)<-[:MENTIONED_IN]-(e:Entity)
WITH a, count(e) AS n_entities,
     size([x IN collect(e.type) WHERE x = 'Person']) AS n_persons,
     size([x IN collect(e.type) WHERE x = 'State']) AS n_states,
     size([x IN collect(e.type) WHERE x = 'Organization']) AS n_organizations,
     size([x IN collect(e.type) WHERE x = 'Meeting']) AS n_meetings
OPTIONAL MATCH (:Entity)-[r]->(:Entity) WHERE a.id IN r.articles
WITH a, n_entities, n_persons, n_states, n_organizations, n_meetings, count(r) AS n_facts
RETURN a.id AS article, a.title AS title, a.date AS date, n_entities, n_persons, n_states,
       n_organizations, n_meetings, n_facts
ORDER BY article
