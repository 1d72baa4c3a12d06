package dev.hangar.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hangar.core.error.ApiException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoleDefinitionTest {

    @Test
    void wildcardsStandForAnyRunOfCharactersAndCaseIsIgnored() {
        assertThat(new ActionPattern("*").matches(Action.START)).isTrue();
        assertThat(new ActionPattern("*/read").matches(Action.READ)).isTrue();
        assertThat(new ActionPattern("*/read").matches(Action.WRITE)).isFalse();
        assertThat(new ActionPattern("Microsoft.MachineLearningServices/workspaces/computes/*").matches(Action.STOP))
                .isTrue();
        assertThat(new ActionPattern("Microsoft.MachineLearningServices/workspaces/computes/*").matches(
                Action.CHECK_NAME)).isFalse();
        assertThat(new ActionPattern("microsoft.machinelearningservices/WORKSPACES/computes/*/action")
                .matches(Action.RESTART)).isTrue();
        assertThat(new ActionPattern("Microsoft.MachineLearningServices/workspaces/computes/*/action")
                .matches(Action.READ)).isFalse();
        assertThat(new ActionPattern("Microsoft.Authorization/*/Write").matches(Action.ROLE_ASSIGNMENT_WRITE))
                .isTrue();
        assertThat(new ActionPattern("Microsoft.MachineLearningServices/workspaces/computes/read")
                .matches(Action.READ)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "computes/read ", "/computes", "computes/", "computes//read", "a/**", "read",
            "Microsoft.MachineLearningServices/workspaces/computes/read?x", "x/ y"})
    void malformedActionStringsAreRefusedWithAzuresCode(String text) {
        assertThatThrownBy(() -> new ActionPattern(text)).isInstanceOf(ApiException.BadRequest.class)
                .extracting(e -> ((ApiException) e).code()).isEqualTo("InvalidActionOrNotAction");
    }

    @Test
    void theBuiltInRolesGrantWhatAzuresDo() {
        assertThat(Arrays.stream(Action.values()).filter(RoleDefinition.OWNER::allows)).hasSize(Action.values().length);
        assertThat(RoleDefinition.CONTRIBUTOR.allows(Action.STOP)).isTrue();
        assertThat(RoleDefinition.CONTRIBUTOR.allows(Action.APPLICATION_ACCESS)).isTrue();
        assertThat(RoleDefinition.CONTRIBUTOR.allows(Action.ROLE_ASSIGNMENT_READ)).isTrue();
        assertThat(RoleDefinition.CONTRIBUTOR.allows(Action.ROLE_ASSIGNMENT_WRITE)).isFalse();
        assertThat(RoleDefinition.CONTRIBUTOR.allows(Action.ROLE_ASSIGNMENT_DELETE)).isFalse();
        assertThat(Arrays.stream(Action.values()).filter(RoleDefinition.READER::allows))
                .containsExactlyInAnyOrder(Action.READ, Action.WORKSPACE_READ, Action.ROLE_ASSIGNMENT_READ,
                        Action.EVENTS_READ, Action.JOB_READ, Action.CODE_READ, Action.ENVIRONMENT_READ,
                        Action.FILES_READ);
        assertThat(RoleDefinition.CONTRIBUTOR.allows(Action.FILES_WRITE)).isTrue();
        assertThat(RoleDefinition.CONTRIBUTOR.allows(Action.FILES_DELETE)).isTrue();
        assertThat(RoleDefinition.builtIn(RoleDefinition.READER_ID)).contains(RoleDefinition.READER);
        assertThat(RoleDefinition.builtIn(UUID.randomUUID())).isEmpty();
    }

    @Test
    void notActionsWinOverActions() {
        var operator = new RoleDefinition(UUID.randomUUID(), "Operator", null,
                List.of(new ActionPattern("Microsoft.MachineLearningServices/workspaces/computes/*")),
                List.of(new ActionPattern("*/delete")), List.of(), false, null, null);
        assertThat(operator.allows(Action.START)).isTrue();
        assertThat(operator.allows(Action.DELETE)).isFalse();
        assertThat(operator.allows(Action.WORKSPACE_READ)).isFalse();
    }
}
