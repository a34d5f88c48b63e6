CREATE TABLE "chat_audience" (
	"identity_id" bigint PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"locale" text NOT NULL,
	"office_id" bigint,
	"area" text,
	"topics" text[] NOT NULL
);
--> statement-breakpoint
ALTER TABLE "chat_audience" ADD CONSTRAINT "chat_audience_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chat_audience_area" ON "chat_audience" USING btree ("area");--> statement-breakpoint
CREATE INDEX "chat_audience_office" ON "chat_audience" USING btree ("office_id");--> statement-breakpoint
-- Who an announcement reaches, as domain/messaging/notification-settings.ts reads a chat's
-- settings: the citizen's row when the chat is linked to a citizen who has one, else the chat's
-- own; reachable when not blocked, not stopped, and following an area or a topic.
CREATE VIEW "chat_audience_source" AS
  SELECT i.id AS identity_id, i.channel, i.locale, i.office_id,
    CASE WHEN ns_c.id IS NOT NULL THEN ns_c.area ELSE ns_i.area END AS area,
    coalesce(CASE WHEN ns_c.id IS NOT NULL THEN ns_c.topics ELSE ns_i.topics END, '{}'::text[]) AS topics
  FROM identities i
  LEFT JOIN notification_settings ns_c ON ns_c.citizen_id = i.citizen_id
  LEFT JOIN notification_settings ns_i ON ns_i.identity_id = i.id
  WHERE i.blocked_at IS NULL
    AND (CASE WHEN ns_c.id IS NOT NULL THEN ns_c.stopped_at ELSE ns_i.stopped_at END) IS NULL
    AND ((CASE WHEN ns_c.id IS NOT NULL THEN ns_c.area ELSE ns_i.area END) IS NOT NULL
      OR cardinality(coalesce(CASE WHEN ns_c.id IS NOT NULL THEN ns_c.topics ELSE ns_i.topics END, '{}'::text[])) > 0);
--> statement-breakpoint
CREATE FUNCTION "chat_audience_refresh"(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM chat_audience WHERE identity_id = ANY(ids);
  INSERT INTO chat_audience (identity_id, channel, locale, office_id, area, topics)
    SELECT identity_id, channel, locale, office_id, area, topics FROM chat_audience_source WHERE identity_id = ANY(ids);
END $$;
--> statement-breakpoint
CREATE FUNCTION "chat_audience_identity_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM chat_audience_refresh(ARRAY[NEW.id]);
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A new chat has no settings of its own yet: only one born linked to a citizen can be reachable.
CREATE TRIGGER "chat_audience_identity_insert" AFTER INSERT ON identities FOR EACH ROW
  WHEN (NEW.citizen_id IS NOT NULL) EXECUTE FUNCTION chat_audience_identity_changed();
--> statement-breakpoint
-- Every message updates its chat (last_seen_at): the WHEN test keeps that from calling anything.
CREATE TRIGGER "chat_audience_identity_update" AFTER UPDATE ON identities FOR EACH ROW
  WHEN (OLD.channel IS DISTINCT FROM NEW.channel OR OLD.locale IS DISTINCT FROM NEW.locale
    OR OLD.blocked_at IS DISTINCT FROM NEW.blocked_at OR OLD.citizen_id IS DISTINCT FROM NEW.citizen_id
    OR OLD.office_id IS DISTINCT FROM NEW.office_id)
  EXECUTE FUNCTION chat_audience_identity_changed();
--> statement-breakpoint
CREATE FUNCTION "chat_audience_settings_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM chat_audience_refresh(ARRAY(SELECT id FROM identities WHERE id = OLD.identity_id OR citizen_id = OLD.citizen_id));
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM chat_audience_refresh(ARRAY(SELECT id FROM identities WHERE id = NEW.identity_id OR citizen_id = NEW.citizen_id));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "chat_audience_settings" AFTER INSERT OR UPDATE OR DELETE ON notification_settings FOR EACH ROW
  EXECUTE FUNCTION chat_audience_settings_changed();
--> statement-breakpoint
INSERT INTO chat_audience (identity_id, channel, locale, office_id, area, topics)
  SELECT identity_id, channel, locale, office_id, area, topics FROM chat_audience_source;
