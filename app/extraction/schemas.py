"""What the extraction API reads: which sources to extract."""

from pydantic import BaseModel, ConfigDict, Field


class ExtractionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"source_ids": [6]}, {}]})

    source_ids: list[int] = Field(default_factory=list, description="Sources to extract; empty means all")
