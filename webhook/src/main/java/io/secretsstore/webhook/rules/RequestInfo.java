package io.secretsstore.webhook.rules;

import java.util.List;

/**
 * Who sent an admission request ({@code request.userInfo}) and whether it is a dry run. The CLI
 * has no requester: {@link #NONE}.
 */
public record RequestInfo(String user, List<String> groups, boolean dryRun) {

  public static final RequestInfo NONE = new RequestInfo("", List.of(), false);

  public RequestInfo {
    user = user == null ? "" : user;
    groups = groups == null ? List.of() : List.copyOf(groups);
  }
}
