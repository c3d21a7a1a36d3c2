package io.secretsstore.webhook.chart;

import com.google.protobuf.NullValue;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchCondition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A webhook's matchConditions compiled with CEL the way the API server compiles them: the variables
 * {@code object}, {@code oldObject} and {@code request} as dynamic values (the API server does not
 * type them against a schema for webhooks), standard macros, and a result that must be a bool. The
 * API server calls the webhook only when every condition is true; an evaluation error is not
 * "false" but the failure policy, so it is reported as an error here.
 */
final class MatchConditionProgram {

  private static final Cel CEL =
      CelFactory.standardCelBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("object", SimpleType.DYN)
          .addVar("oldObject", SimpleType.DYN)
          .addVar("request", SimpleType.DYN)
          .build();

  private record Compiled(String name, String expression, CelRuntime.Program program) {}

  private final String webhook;
  private final List<Compiled> conditions = new ArrayList<>();

  private MatchConditionProgram(String webhook) {
    this.webhook = webhook;
  }

  static MatchConditionProgram of(WebhookView w) {
    MatchConditionProgram p = new MatchConditionProgram(w.name());
    for (MatchCondition c : w.matchConditions()) {
      CelAbstractSyntaxTree ast;
      try {
        ast = CEL.compile(c.getExpression()).getAst();
      } catch (CelValidationException e) {
        throw new AssertionError(
            w.name() + " matchCondition " + c.getName() + " does not compile: " + e.getMessage(),
            e);
      }
      if (!ast.getResultType().equals(SimpleType.BOOL)) {
        throw new AssertionError(
            w.name()
                + " matchCondition "
                + c.getName()
                + " yields "
                + ast.getResultType()
                + ", not bool");
      }
      try {
        p.conditions.add(new Compiled(c.getName(), c.getExpression(), CEL.createProgram(ast)));
      } catch (CelEvaluationException e) {
        throw new AssertionError(e);
      }
    }
    return p;
  }

  int size() {
    return conditions.size();
  }

  /** Whether the API server would send this request to the webhook. */
  boolean sends(AdmissionAttributes request) {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("object", cel(request.object()));
    vars.put("oldObject", cel(request.oldObject()));
    vars.put("request", request.asCelRequest());
    for (Compiled c : conditions) {
      Object result;
      try {
        result = c.program().eval(vars);
      } catch (CelEvaluationException e) {
        throw new AssertionError(
            webhook
                + " matchCondition "
                + c.name()
                + " fails on "
                + request
                + ": "
                + e.getMessage()
                + " (the API server would apply the failure policy)",
            e);
      }
      if (!Boolean.TRUE.equals(result)) {
        return false;
      }
    }
    return true;
  }

  /** A JSON tree as CEL's dynamic values: maps, lists, int64, double, string, bool, null. */
  static Object cel(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return NullValue.NULL_VALUE;
    }
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.properties().forEach(e -> map.put(e.getKey(), cel(e.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(n -> list.add(cel(n)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.longValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    return node.asString();
  }
}
