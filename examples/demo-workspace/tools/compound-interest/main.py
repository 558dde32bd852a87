"""Compound interest: a Pixie tool in Python, shaped like the original Pixie's cookbook tools.

One FastAPI app, served by uvicorn on 127.0.0.1:<--port>:
  GET  /healthz  -> {"ok": true}
  GET  /schema   -> tool.json exactly as it is on disk
  POST /run      -> {"run_id", "inputs", "_pixie"} (or the inputs as flat keys) -> outputs keyed by output key
  POST /cancel   -> 204 (each run takes milliseconds, so there is nothing to stop)
Omitted inputs take their tool.json defaults; a bad input gets FastAPI's usual 422 {"detail": [{loc, msg, type}]}.
Works with pydantic 1 (Debian bookworm's python3-pydantic) and pydantic 2.

Run it by hand:  .venv/bin/python main.py --port 8123
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, Dict, List, Literal

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, ValidationError

HERE = Path(__file__).resolve().parent
TOOL_JSON = (HERE / "tool.json").read_text(encoding="utf-8")
DEFAULTS = {spec["key"]: spec.get("default") for spec in json.loads(TOOL_JSON)["inputs"]}

try:
    from dotenv import load_dotenv
except ImportError:  # python-dotenv is only a convenience: Pixie passes the .env keys in the environment anyway
    def load_dotenv(*_args: Any, **_kwargs: Any) -> bool:
        return False

# A tool's secrets live in its .env (gitignored); loading it here also serves runs started by hand. This tool needs none.
load_dotenv(HERE / ".env")


class Inputs(BaseModel):
    principal: float = Field(ge=0, le=10_000_000)
    annual_rate: float = Field(ge=0, le=20)
    years: int = Field(ge=1, le=60)
    compounding: Literal[1, 4, 12, 365]
    monthly_contribution: float = Field(ge=0, le=1_000_000)
    adjust_for_inflation: bool
    inflation_rate: float = Field(ge=0, le=15)


def money(x: float) -> float:
    return round(x, 2)


def compute(p: Inputs) -> Dict[str, Any]:
    periods = p.compounding
    rate = p.annual_rate / 100 / periods
    deposit = p.monthly_contribution * 12 / periods  # paid in at the end of each compounding period
    inflation = p.inflation_rate / 100 if p.adjust_for_inflation else 0.0

    balance = p.principal
    paid_in = p.principal
    years: List[int] = [0]
    nominal: List[float] = [money(balance)]
    paid: List[float] = [money(paid_in)]
    real: List[float] = [money(balance)]
    rows: List[Dict[str, Any]] = []
    for year in range(1, p.years + 1):
        start = balance
        interest = 0.0
        for _ in range(periods):
            earned = balance * rate
            interest += earned
            balance += earned + deposit
        paid_in += deposit * periods
        in_todays_money = balance / (1 + inflation) ** year
        rows.append({
            "year": year,
            "start_balance": money(start),
            "contributions": money(deposit * periods),
            "interest": money(interest),
            "end_balance": money(balance),
            "real_end_balance": money(in_todays_money),
        })
        years.append(year)
        nominal.append(money(balance))
        paid.append(money(paid_in))
        real.append(money(in_todays_money))

    series = [{"name": "Balance", "y": nominal}, {"name": "Paid in", "y": paid}]
    if p.adjust_for_inflation:
        series.append({"name": "Balance in today's money", "y": real})
    columns = json.loads(TOOL_JSON)["outputs"][-1]["columns"]
    return {
        "final_value": money(balance / (1 + inflation) ** p.years),
        "total_contributions": money(paid_in),
        "total_interest": money(balance - paid_in),
        "growth_chart": {"x": years, "series": series, "x_label": "Year", "y_label": "£"},
        "yearly_breakdown": {"columns": columns, "rows": rows},
    }


def validation_error(exc: ValidationError, prefix: List[str]) -> JSONResponse:
    detail = [{"loc": prefix + [str(part) for part in err["loc"]], "msg": err["msg"], "type": err["type"]} for err in exc.errors()]
    return JSONResponse(status_code=422, content={"detail": detail})


def build_app() -> FastAPI:
    app = FastAPI(title="compound-interest", docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/healthz")
    def healthz() -> Dict[str, bool]:
        return {"ok": True}

    @app.get("/schema")
    def schema() -> Response:
        return Response(content=TOOL_JSON, media_type="application/json")

    @app.post("/run")
    async def run(request: Request) -> Any:
        try:
            body = await request.json()
        except ValueError as exc:
            return JSONResponse(status_code=400, content={"detail": f"the request body is not JSON: {exc}"})
        if not isinstance(body, dict):
            return JSONResponse(status_code=422, content={"detail": [{"loc": ["body"], "msg": "expected a JSON object", "type": "type_error"}]})
        nested = isinstance(body.get("inputs"), dict)
        given = body["inputs"] if nested else {k: v for k, v in body.items() if k not in ("run_id", "_pixie")}
        try:
            params = Inputs(**{**DEFAULTS, **given})
        except ValidationError as exc:
            return validation_error(exc, ["body", "inputs"] if nested else ["body"])
        return compute(params)

    @app.post("/cancel")
    def cancel() -> Response:
        return Response(status_code=204)

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="Compound interest, a Pixie tool.")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(build_app(), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
