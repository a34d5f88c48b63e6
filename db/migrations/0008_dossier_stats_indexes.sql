DROP INDEX "dossiers_open_due";--> statement-breakpoint
DROP INDEX "dossiers_office_received";--> statement-breakpoint
DROP INDEX "dossiers_office_resolved";--> statement-breakpoint
DROP INDEX "dossiers_received";--> statement-breakpoint
CREATE INDEX "dossiers_resolved" ON "dossiers" USING btree ("resolved_at","field","due_at");--> statement-breakpoint
CREATE INDEX "dossiers_open" ON "dossiers" USING btree ("office_id","received_at","field","due_at") WHERE "dossiers"."status" in ('received', 'processing', 'needs_supplement');--> statement-breakpoint
CREATE INDEX "dossiers_office_received" ON "dossiers" USING btree ("office_id","received_at","field","channel");--> statement-breakpoint
CREATE INDEX "dossiers_office_resolved" ON "dossiers" USING btree ("office_id","resolved_at","field","due_at");--> statement-breakpoint
CREATE INDEX "dossiers_received" ON "dossiers" USING btree ("received_at","field","channel");