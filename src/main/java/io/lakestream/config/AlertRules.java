package io.lakestream.config;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An alert rule's condition back in the YAML shape it is written in ({@code validate --effective}). */
final class AlertRules {

    private AlertRules() {
    }

    static Object yaml(AlertConfig.Condition condition) {
        if (condition instanceof AlertConfig.All all) {
            return Map.of("and", all.conditions().stream().map(AlertRules::yaml).toList());
        }
        if (condition instanceof AlertConfig.Any any) {
            return Map.of("or", any.conditions().stream().map(AlertRules::yaml).toList());
        }
        if (condition instanceof AlertConfig.Not not) {
            return Map.of("not", yaml(not.condition()));
        }
        AlertConfig.Compare c = (AlertConfig.Compare) condition;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("field", c.field());
        List<Object> operands = c.operands().stream().map(AlertRules::literal).toList();
        m.put(c.op().key, c.op() == AlertConfig.Op.IN ? operands : operands.get(0));
        return m;
    }

    private static Object literal(Object operand) {
        return operand instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : operand;
    }
}
