-- CreateIndex
CREATE INDEX "Event_aggregateType_aggregateId_id_idx" ON "Event"("aggregateType", "aggregateId", "id");

-- CreateIndex
CREATE INDEX "Event_actorId_id_idx" ON "Event"("actorId", "id");

-- CreateIndex
CREATE INDEX "Event_type_id_idx" ON "Event"("type", "id");
