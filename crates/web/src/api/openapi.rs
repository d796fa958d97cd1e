//! The OpenAPI 3.1 document of API v1. Kept beside the routes in `mod.rs`; an integration test
//! checks that every path and method documented here answers, and that every routed API path
//! is documented.

use axum::Json;
use serde_json::{json, Value};

pub async fn document() -> Json<Value> {
    Json(spec())
}

fn error_responses() -> Value {
    json!({
        "400": { "$ref": "#/components/responses/Error" },
        "401": { "$ref": "#/components/responses/Error" },
        "403": { "$ref": "#/components/responses/Error" },
        "404": { "$ref": "#/components/responses/Error" },
        "422": { "$ref": "#/components/responses/Error" }
    })
}

fn ok(schema: Value) -> Value {
    let mut r = error_responses();
    r["200"] =
        json!({ "description": "OK", "content": { "application/json": { "schema": schema } } });
    r
}

fn created(schema: Value) -> Value {
    let mut r = error_responses();
    r["201"] = json!({ "description": "Created", "content": { "application/json": { "schema": schema } } });
    r["413"] = json!({ "$ref": "#/components/responses/Error" });
    r["415"] = json!({ "$ref": "#/components/responses/Error" });
    r
}

fn id_param() -> Value {
    json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "minimum": 1 } })
}

fn q(name: &str, desc: &str) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": desc, "schema": { "type": "string" } })
}

pub fn spec() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Serva API",
            "version": "1",
            "description": "Service catalogue and cases of a municipality's shared services. Authenticate with a \
                personal API token: 'Authorization: Bearer <token>' (create one on your account page or with \
                'serva token create'). Errors are {\"error\": {\"code\", \"message\"}}."
        },
        "servers": [{ "url": "/" }],
        "security": [{ "bearer": [] }],
        "paths": {
            "/api/v1/me": { "get": { "summary": "The caller", "operationId": "me", "responses": ok(json!({ "type": "object" })) } },
            "/api/v1/units": { "get": { "summary": "The organisation", "operationId": "listUnits",
                "responses": ok(json!({ "type": "object", "properties": { "units": { "type": "array", "items": { "$ref": "#/components/schemas/Unit" } } } })) } },
            "/api/v1/services": { "get": {
                "summary": "The service catalogue", "operationId": "listServices",
                "parameters": [q("q", "free text"), q("category", "category name"), q("unit", "provider unit code")],
                "responses": ok(json!({ "type": "object", "properties": { "services": { "type": "array", "items": { "$ref": "#/components/schemas/Service" } } } }))
            } },
            "/api/v1/services/{code}": { "get": {
                "summary": "One service with its order form", "operationId": "getService",
                "parameters": [{ "name": "code", "in": "path", "required": true, "schema": { "type": "string" } }],
                "responses": ok(json!({ "$ref": "#/components/schemas/Service" }))
            } },
            "/api/v1/cases": {
                "get": {
                    "summary": "Cases the caller may see, newest first", "operationId": "listCases",
                    "parameters": [
                        q("q", "free text or a case number"), q("status", "a status, or 'active'"),
                        q("sort", "newest, oldest or updated"), q("assignee", "'me', 'none' or a user id"),
                        q("service", "service code"), q("channel", "web, chat, phone, email or visit"),
                        q("unit", "provider unit code"), q("page", "1…"), q("per_page", "1–200, default 25")
                    ],
                    "responses": ok(json!({ "type": "object", "properties": {
                        "cases": { "type": "array", "items": { "$ref": "#/components/schemas/Case" } },
                        "page": { "type": "integer" }, "per_page": { "type": "integer" }, "has_next": { "type": "boolean" } } }))
                },
                "post": {
                    "summary": "Create a case (order a service or register a contact)", "operationId": "createCase",
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NewCase" } } } },
                    "responses": created(json!({ "$ref": "#/components/schemas/Case" }))
                }
            },
            "/api/v1/cases/{id}": {
                "get": { "summary": "One case", "operationId": "getCase", "parameters": [id_param()],
                         "responses": ok(json!({ "$ref": "#/components/schemas/Case" })) },
                "patch": {
                    "summary": "Change status and/or assignee (provider's agents)", "operationId": "patchCase",
                    "parameters": [id_param()],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": {
                        "type": "object", "additionalProperties": false,
                        "properties": {
                            "status": { "$ref": "#/components/schemas/Status" },
                            "assignee": { "type": ["string", "null"], "description": "username, or null to unassign" } } } } } },
                    "responses": ok(json!({ "$ref": "#/components/schemas/Case" }))
                }
            },
            "/api/v1/cases/{id}/messages": {
                "get": { "summary": "Messages (internal notes only for the provider)", "operationId": "listMessages",
                         "parameters": [id_param()],
                         "responses": ok(json!({ "type": "object", "properties": { "messages": { "type": "array", "items": { "$ref": "#/components/schemas/Message" } } } })) },
                "post": {
                    "summary": "Reply, or write an internal note", "operationId": "addMessage", "parameters": [id_param()],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": {
                        "type": "object", "additionalProperties": false, "required": ["body"],
                        "properties": { "body": { "type": "string", "minLength": 1, "maxLength": 20000 },
                                        "internal": { "type": "boolean", "default": false } } } } } },
                    "responses": created(json!({ "$ref": "#/components/schemas/Message" }))
                }
            },
            "/api/v1/cases/{id}/survey": { "post": {
                "summary": "The requester rates a resolved case (once)", "operationId": "answerSurvey", "parameters": [id_param()],
                "requestBody": { "required": true, "content": { "application/json": { "schema": {
                    "type": "object", "additionalProperties": false, "required": ["score"],
                    "properties": { "score": { "type": "integer", "minimum": 0, "maximum": 100 }, "comment": { "type": "string", "maxLength": 2000 } } } } } },
                "responses": created(json!({ "type": "object" }))
            } },
            "/api/v1/imports/{kind}": { "post": {
                "summary": "Import a file (all or nothing)",
                "description": "Kinds: units, budget, forecast, investments, calls, indicators, indicator_values, goals, staff, assignments, controls (UTF-8 CSV with a header row) and sie (SIE 4). The file is the request body. Errors name line and column; on any error nothing is imported.",
                "operationId": "importFile",
                "parameters": [{ "name": "kind", "in": "path", "required": true, "schema": { "type": "string",
                    "enum": ["units", "budget", "forecast", "investments", "calls", "indicators", "indicator_values", "goals", "staff", "assignments", "controls", "sie"] } }],
                "requestBody": { "required": true, "content": { "text/csv": { "schema": { "type": "string" } }, "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } },
                "responses": ok(json!({ "type": "object", "properties": { "kind": { "type": "string" }, "rows": { "type": "integer" } } }))
            } },
            "/api/v1/reports/interim": { "get": {
                "summary": "The interim report (delårsrapport) of an administration",
                "description": "Computed from live data, or the frozen document once approved. Amounts in whole tkr; a surplus is positive.",
                "operationId": "interimReport",
                "parameters": [
                    { "name": "org", "in": "query", "required": true, "schema": { "type": "string" }, "description": "administration code, e.g. VSS" },
                    { "name": "year", "in": "query", "required": true, "schema": { "type": "integer" } },
                    { "name": "through", "in": "query", "required": true, "schema": { "type": "string", "format": "date" } },
                    { "name": "format", "in": "query", "required": false, "schema": { "type": "string", "enum": ["json", "html", "pdf", "docx"], "default": "json" } }
                ],
                "responses": ok(json!({ "type": "object", "description": "meta, finance, investments, goals, indicators, staff, assignments, internal_control, operations, narratives, events, checks" }))
            } },
            "/api/v1/reports/interim/approve": { "post": {
                "summary": "Approve and freeze an interim report", "operationId": "approveInterimReport",
                "requestBody": { "required": true, "content": { "application/json": { "schema": {
                    "type": "object", "additionalProperties": false, "required": ["org", "year", "through"],
                    "properties": { "org": { "type": "string" }, "year": { "type": "integer" }, "through": { "type": "string", "format": "date" } } } } } },
                "responses": created(json!({ "type": "object" }))
            } },
            "/api/v1/cases/{id}/history": { "get": {
                "summary": "Every change of the case", "operationId": "caseHistory", "parameters": [id_param()],
                "responses": ok(json!({ "type": "object", "properties": { "history": { "type": "array", "items": { "type": "object" } } } }))
            } }
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "responses": {
                "Error": { "description": "The request was refused", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
            },
            "schemas": {
                "Error": { "type": "object", "required": ["error"], "properties": { "error": {
                    "type": "object", "required": ["code", "message"],
                    "properties": { "code": { "type": "string" }, "message": { "type": "string" }, "details": { "type": "object" } } } } },
                "Status": { "type": "string", "enum": ["new", "open", "waiting_customer", "waiting_third_party", "resolved", "closed"] },
                "Channel": { "type": "string", "enum": ["web", "chat", "phone", "email", "visit"] },
                "Unit": { "type": "object", "properties": {
                    "id": { "type": "integer" }, "code": { "type": "string" }, "name": { "type": "string" },
                    "kind": { "type": "string", "enum": ["municipality", "department", "company", "administration", "unit"] },
                    "parent_id": { "type": ["integer", "null"] }, "erp_code": { "type": ["string", "null"] },
                    "valid_from": { "type": ["string", "null"], "format": "date" }, "valid_to": { "type": ["string", "null"], "format": "date" },
                    "predecessor_id": { "type": ["integer", "null"] } } },
                "FormField": { "type": "object", "properties": {
                    "key": { "type": "string" }, "label": { "type": "string" },
                    "kind": { "type": "string", "enum": ["text", "number", "date", "choice"] },
                    "required": { "type": "boolean" }, "choices": { "type": "array", "items": { "type": "string" } } } },
                "Service": { "type": "object", "properties": {
                    "id": { "type": "integer" }, "code": { "type": "string" }, "name": { "type": "string" },
                    "description": { "type": "string" }, "category": { "type": "string" },
                    "unit_id": { "type": "integer" }, "unit_code": { "type": "string" }, "unit_name": { "type": "string" },
                    "price_model": { "type": "string", "enum": ["per_case", "per_unit_month", "subscription", "per_hour"] },
                    "price_ore": { "type": "integer", "description": "price in öre (1/100 krona)" },
                    "first_response_minutes": { "type": ["integer", "null"] }, "resolution_minutes": { "type": ["integer", "null"] },
                    "form": { "type": "array", "items": { "$ref": "#/components/schemas/FormField" } } } },
                "NewCase": { "type": "object", "additionalProperties": false, "required": ["service", "subject", "description"],
                    "properties": {
                        "service": { "type": "string", "description": "service code" },
                        "subject": { "type": "string", "minLength": 1, "maxLength": 200 },
                        "description": { "type": "string", "minLength": 1, "maxLength": 20000 },
                        "channel": { "$ref": "#/components/schemas/Channel" },
                        "fields": { "type": "object", "additionalProperties": { "type": ["string", "number"] },
                                    "description": "answers to the service's order form, by field key" },
                        "requester_name": { "type": "string", "description": "agents only: the person whose contact is registered" },
                        "customer_unit": { "type": "string", "description": "agents only: customer unit code" },
                        "target_group": { "type": "string", "enum": ["manager", "administrator", "hr_consultant", "employee", "citizen"] },
                        "resolve_now": { "type": "boolean", "description": "agents only: resolved at first contact" } } },
                "Case": { "type": "object", "properties": {
                    "id": { "type": "integer" }, "number": { "type": "string", "example": "2019-0001234" },
                    "service": { "type": "string" }, "service_name": { "type": "string" },
                    "unit": { "type": "object" }, "customer_unit": { "type": ["object", "null"] },
                    "status": { "$ref": "#/components/schemas/Status" }, "channel": { "$ref": "#/components/schemas/Channel" },
                    "subject": { "type": "string" }, "description": { "type": "string" }, "fields": { "type": "object" },
                    "requester_id": { "type": ["integer", "null"] }, "requester_name": { "type": ["string", "null"] },
                    "assignee_id": { "type": ["integer", "null"] }, "assignee_name": { "type": ["string", "null"] },
                    "target_group": { "type": ["string", "null"] }, "first_contact_resolution": { "type": "boolean" },
                    "created_at": { "type": "string", "format": "date-time" }, "updated_at": { "type": "string", "format": "date-time" },
                    "first_response_at": { "type": ["string", "null"], "format": "date-time" },
                    "resolved_at": { "type": ["string", "null"], "format": "date-time" },
                    "closed_at": { "type": ["string", "null"], "format": "date-time" } } },
                "Message": { "type": "object", "properties": {
                    "id": { "type": "integer" }, "author_id": { "type": ["integer", "null"] }, "author_name": { "type": ["string", "null"] },
                    "internal": { "type": "boolean" }, "body": { "type": "string" }, "created_at": { "type": "string", "format": "date-time" } } }
            }
        }
    })
}
